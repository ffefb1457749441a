import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packageRoot = fileURLToPath(new URL('../../', import.meta.url));

// the web app has its own tsconfig (DOM libraries, JSX), kept out of the root one; this test keeps it
// in the checks until package.json's typecheck script runs it too
describe('the web app', () => {
  it('type-checks with web/tsconfig.json', async () => {
    const result = await new Promise<{ code: number | null; output: string }>((resolve) => {
      execFile(
        process.execPath,
        [
          fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url)),
          '-p',
          'web/tsconfig.json',
          '--noEmit',
        ],
        { cwd: packageRoot },
        (error, stdout, stderr) =>
          resolve({ code: error ? (error.code as number) : 0, output: stdout + stderr }),
      );
    });
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  });
});
