import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTempRepo } from '../testing/temp-repo.ts';
import { computeReadyKey, reuseFilesMoved, reuseFilesOf } from './ready-key.ts';
import { knownLockFiles, SetupSettings, type SetupSettingsInput } from './setup-settings.ts';

const files = {
  'package-lock.json': '{"lockfileVersion":3}\n',
  'yarn.lock': '# yarn\n',
  'README.md': '# readme\n',
  'src/index.ts': 'export {};\n',
};
const one = createTempRepo(files);
const two = createTempRepo(files);
afterAll(() => {
  one.cleanup();
  two.cleanup();
});
const settings = (input: Partial<SetupSettingsInput> = {}) =>
  SetupSettings.parse({ commands: ['npm ci'], ...input });
const keyOf = async (directory: string, input: Partial<SetupSettingsInput> = {}) =>
  (await computeReadyKey(settings(input), directory)).key;

describe('computeReadyKey', () => {
  it('watches every known lock file name when no reuse files are named, absent ones included', async () => {
    expect(reuseFilesOf(settings())).toEqual(knownLockFiles);
    expect(reuseFilesOf(settings({ reuseFiles: ['README.md'] }))).toEqual(['README.md']);
    const key = await computeReadyKey(settings(), one.userRepo);
    expect(key.files.filter((file) => file.size !== null)).toEqual([
      { path: 'package-lock.json', size: files['package-lock.json'].length, mtimeMs: expect.any(Number) },
      { path: 'yarn.lock', size: files['yarn.lock'].length, mtimeMs: expect.any(Number) },
    ]);
    expect(key.files.find((file) => file.path === 'Cargo.lock')).toEqual({
      path: 'Cargo.lock',
      size: null,
      mtimeMs: null,
    });
  });

  it('is the same for the same content and setup, wherever the checkout is', async () => {
    const key = await keyOf(one.userRepo);
    expect(key).toMatch(/^[0-9a-f]{24}$/);
    expect(await keyOf(two.userRepo)).toBe(key);
    // neither files outside the reuse files nor settings that do not change what is installed count
    two.write('README.md', 'changed\n');
    two.write('src/index.ts', 'export const x = 1;\n');
    expect(await keyOf(two.userRepo)).toBe(key);
    expect(await keyOf(one.userRepo, { timeoutMs: 5_000, share: 'copy', maxConsecutiveFailures: 9 })).toBe(
      key,
    );
  });

  it('changes with the content of a reuse file, a deleted one, the commands or their environment', async () => {
    const repo = createTempRepo(files);
    try {
      const key = await keyOf(repo.userRepo);
      const keys = new Set([key]);
      keys.add(await keyOf(repo.userRepo, { commands: ['npm ci', 'npm run build'] }));
      keys.add(await keyOf(repo.userRepo, { commands: ['npm install'] }));
      keys.add(await keyOf(repo.userRepo, { environment: { NODE_ENV: 'production' } }));

      repo.write('yarn.lock', '# yarn, changed\n');
      keys.add(await keyOf(repo.userRepo));
      repo.write('yarn.lock', files['yarn.lock']);
      expect(await keyOf(repo.userRepo)).toBe(key);

      rmSync(join(repo.userRepo, 'yarn.lock'));
      keys.add(await keyOf(repo.userRepo));
      expect(keys.size).toBe(6);

      // a named reuse file that is missing counts as a state of its own, not as one without it
      const named = { reuseFiles: ['package-lock.json', 'yarn.lock'] };
      const missing = await computeReadyKey(settings(named), repo.userRepo);
      expect(missing.files[1]).toEqual({ path: 'yarn.lock', size: null, mtimeMs: null });
      expect(missing.key).not.toBe(await keyOf(repo.userRepo, { reuseFiles: ['package-lock.json'] }));
      repo.write('yarn.lock', 'absent');
      expect(await keyOf(repo.userRepo, named)).not.toBe(missing.key);
      repo.write('yarn.lock', '');
      expect(await keyOf(repo.userRepo, named)).not.toBe(missing.key);
      // content moved from one file to the next is a different state
      repo.write('package-lock.json', 'ab');
      repo.write('yarn.lock', '');
      const before = await keyOf(repo.userRepo, named);
      repo.write('package-lock.json', 'a');
      repo.write('yarn.lock', 'b');
      expect(await keyOf(repo.userRepo, named)).not.toBe(before);
    } finally {
      repo.cleanup();
    }
  });

  it('tells when a reuse file may have changed since the key was computed', async () => {
    const repo = createTempRepo(files);
    try {
      const key = await computeReadyKey(settings(), repo.userRepo);
      expect(await reuseFilesMoved(key, repo.userRepo)).toBe(false);
      writeFileSync(join(repo.userRepo, 'package-lock.json'), '{"lockfileVersion":4}\n');
      expect(await reuseFilesMoved(key, repo.userRepo)).toBe(true);
      const again = await computeReadyKey(settings(), repo.userRepo);
      expect(await reuseFilesMoved(again, repo.userRepo)).toBe(false);
      rmSync(join(repo.userRepo, 'yarn.lock'));
      expect(await reuseFilesMoved(again, repo.userRepo)).toBe(true);
    } finally {
      repo.cleanup();
    }
  });
});
