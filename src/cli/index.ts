// The public face of src/cli: bin/cadre.mjs starts the program through here.
export type { CliIo } from './cli-io.ts';
export { createProgram, type ExitStatus, main } from './main.ts';
