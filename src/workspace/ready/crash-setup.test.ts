import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnTypeScript, waitForExit } from '../../board/testing/spawn-typescript.ts';
import { openReadyWorkspace, readToken, readyRepoFiles } from '../testing/ready-setup.ts';
import { createTempRepo } from '../testing/temp-repo.ts';

const repo = createTempRepo(readyRepoFiles);
afterAll(() => repo.cleanup());
const signal = new AbortController().signal;

/** Polls `probe` until it returns a value other than undefined, or fails after `timeoutMs`. */
async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** Pids of processes whose command line mentions `text`. */
function processesMentioning(text: string): string[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(text);
      } catch {
        return false;
      }
    });
}

describe('a worker killed during setup', () => {
  it('leaves a partial template that is cleaned up and never used; the next setup builds afresh', async () => {
    // the setup installs half, then waits until the test opens the gate (a cache directory it can see)
    const gate = join(repo.directory, 'gate');
    mkdirSync(gate);
    const options = {
      userRepo: repo.userRepo,
      hubPath: join(repo.directory, 'hub.git'),
      root: join(repo.directory, 'worktrees'),
      settings: {
        commands: [
          `mkdir -p deps/a && echo started > deps/a/token && until [ -e '${gate}/open' ]; do sleep 0.05; done && echo complete >> deps/a/token`,
        ],
        caches: [{ path: gate }],
      },
    };
    const { ready, manager, readyRoot, root } = await openReadyWorkspace({ ...options, signal });
    const child = spawnTypeScript(new URL('./__fixtures__/prepare-worktree.ts', import.meta.url), [
      JSON.stringify(options),
    ]);
    let stderr = '';
    child.stderr?.on('data', (chunk) => {
      stderr += chunk;
    });
    const partialName = await waitFor('a partial template with a half-done setup', () => {
      if (child.exitCode !== null) throw new Error(`the fixture exited early: ${stderr}`);
      const names = existsSync(readyRoot) ? readdirSync(readyRoot) : [];
      return names.find(
        (name) => /\.partial-/.test(name) && existsSync(join(readyRoot, name, 'tree', 'deps', 'a', 'token')),
      );
    });
    const key = partialName.slice(0, partialName.indexOf('.partial-'));
    const partial = join(readyRoot, partialName);
    // while its builder lives, a partial template is nobody's to clean
    expect(await ready.cleanStale(signal)).toEqual([]);
    expect(existsSync(partial)).toBe(true);

    expect(processesMentioning(`${gate}/open`)).not.toEqual([]);

    child.kill('SIGKILL');
    expect(await waitForExit(child)).toBe('SIGKILL');
    // the sandboxed setup dies with the process that started it
    await waitFor('the orphaned setup to die', () =>
      processesMentioning(`${gate}/open`).length === 0 ? true : undefined,
    );
    expect(readdirSync(readyRoot).sort()).toEqual([`${key}.lock`, partialName]);

    expect(await ready.cleanStale(signal)).toEqual([partial]);
    expect(existsSync(partial)).toBe(false);
    expect(existsSync(join(readyRoot, key))).toBe(false);
    // the dead worker's worktree is a leftover too
    const dead = readdirSync(root).filter((name) => name.startsWith('doomed-') && !name.endsWith('.lock'));
    expect(dead).toHaveLength(1);
    expect(await manager.cleanStale(signal)).toEqual([join(root, dead[0]!)]);

    writeFileSync(join(gate, 'open'), '');
    const fresh = await manager.create({ label: 'fresh', signal });
    expect(fresh.ready?.report).toMatchObject({ type: 'template-built', key });
    expect(readToken(fresh.path)).toBe('started\ncomplete\n');
    expect(readToken(join(readyRoot, key, 'tree'))).toBe('started\ncomplete\n');
    expect(readdirSync(readyRoot).filter((name) => name.startsWith(key))).toEqual([key]);
  });
});
