#!/usr/bin/env node
// cadre ships TypeScript sources and runs them through tsx's loader, so there is no build step
// between a change and `npx cadre`.
import { register } from 'tsx/esm/api';

register();
// a reader that stops early (`cadre board show | head`) is not an error
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});
const { main } = await import('../src/cli/index.ts');
const controller = new AbortController();
const stop = () => controller.abort(new Error('interrupted'));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
process.exitCode = await main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  cwd: process.cwd(),
  signal: controller.signal,
});
