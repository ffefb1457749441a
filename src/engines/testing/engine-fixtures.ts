import { readFileSync } from 'node:fs';

/**
 * A reader of the recorded output in the `__fixtures__` folder beside `testFileUrl` (a test's
 * `import.meta.url`): each engine keeps its own recordings, read the same way, as non-blank lines.
 */
export function fixtureReader(testFileUrl: string): (name: string) => string[] {
  return (name) =>
    readFileSync(new URL(`./__fixtures__/${name}`, testFileUrl), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '');
}
