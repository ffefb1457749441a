import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startHttpServer } from '../../sandbox/network/testing/network-test-servers.ts';
import { openReadyWorkspace, readToken, readyRepoFiles, tokenSetupCommand } from '../testing/ready-setup.ts';
import { createTempRepo } from '../testing/temp-repo.ts';
import { SetupFailedError } from './setup-report.ts';
import type { SetupSettingsInput } from './setup-settings.ts';
import { sharedFileOwner } from './share-files.ts';

const repo = createTempRepo(readyRepoFiles);
afterAll(() => repo.cleanup());
const signal = new AbortController().signal;
const hubPath = join(repo.directory, 'hub.git');

/** A manager over its own worktree directory (so its templates are its own) on the one hub. */
function openWorkspace(name: string, settings: SetupSettingsInput) {
  return openReadyWorkspace({
    userRepo: repo.userRepo,
    hubPath,
    root: join(repo.directory, `${name}-worktrees`),
    settings,
    signal,
  });
}

describe('setup in the sandbox', () => {
  it('cannot write outside the checkout it installs into', async () => {
    const targets = {
      scratch: join(repo.directory, 'escaped'),
      user: join(repo.userRepo, 'README.md'),
      hub: join(hubPath, 'objects', 'escaped'),
      // the directory of the templates, beside the one being built
      templates: '../../escaped',
      // the worktree the template was cloned from
      worktree: '"$(git remote get-url origin)/escaped"',
    };
    const attempts = Object.entries(targets).map(
      ([name, path]) =>
        `{ echo pwned >> ${path.startsWith('"') ? path : `'${path}'`}; } 2>/dev/null && echo "wrote ${name}" || echo "blocked ${name}"`,
    );
    const { manager, readyRoot } = await openWorkspace('escape', {
      commands: [attempts.join('; '), tokenSetupCommand],
    });
    const worktree = await manager.create({ label: 'escape', signal });
    const report = worktree.ready?.report;
    expect(report?.type).toBe('template-built');
    const output = report?.type === 'template-built' ? report.output : '';
    // the sandbox's root is a throwaway tmpfs: a write lands there or fails, and never on the host
    expect(output).toContain('blocked user');
    expect(output).toContain('blocked hub');
    expect(existsSync(targets.scratch)).toBe(false);
    expect(readFileSync(targets.user, 'utf8')).toBe(readyRepoFiles['README.md']);
    expect(existsSync(targets.hub)).toBe(false);
    expect(existsSync(join(readyRoot, 'escaped'))).toBe(false);
    expect(existsSync(join(worktree.path, 'escaped'))).toBe(false);
    expect(readdirSync(readyRoot)).toEqual([report?.key]);
  });

  it("has the shell's network (none) by default, and only its allow-list when it names one", async () => {
    const server = await startHttpServer();
    try {
      const fetch = `mkdir -p deps && curl -fsS --max-time 3 http://127.0.0.1:${server.port}/from-setup -o deps/answer`;
      const refusal = async (name: string, settings: SetupSettingsInput) => {
        const { manager } = await openWorkspace(name, settings);
        const failure = await manager.create({ label: name, signal }).catch((error: unknown) => error);
        expect(failure).toBeInstanceOf(SetupFailedError);
        return (failure as SetupFailedError).report;
      };

      const none = await refusal('offline', { commands: [fetch] });
      expect(none.reason).toContain('exited with code 7');
      expect(none.output).toContain("Couldn't connect to server");

      const listed = await refusal('allow-list', {
        commands: [fetch],
        network: { type: 'allow-list', hosts: ['registry.example.com:443'] },
      });
      expect(listed.reason).toMatch(/exited with code/);
      expect(listed.output).toContain(
        `[sandbox: network access refused: 127.0.0.1:${server.port} is not in the sandbox's network allow-list`,
      );
      expect(server.connections()).toBe(0);

      // the same command with the full network does reach the server: the refusals above were the sandbox's
      const { manager } = await openWorkspace('online', { commands: [fetch], network: { type: 'full' } });
      const online = await manager.create({ label: 'online', signal });
      expect(online.ready?.report.type).toBe('template-built');
      expect(readFileSync(join(online.path, 'deps', 'answer'), 'utf8')).toBe('hello from GET /from-setup');
      expect(server.seen.map((request) => request.url)).toEqual(['/from-setup']);
    } finally {
      await server.close();
    }
  });
});

describe('installed files shared between worktrees', () => {
  it('cannot be changed for every worktree through one of them', async () => {
    const { manager, sandbox, shell, readyRoot } = await openWorkspace('shared', {
      commands: [tokenSetupCommand],
    });
    const [attacker, witness, replacer] = await Promise.all(
      ['attacker', 'witness', 'replacer'].map((label) => manager.create({ label, signal })),
    );
    const report = attacker!.ready!.report;
    const template = join(readyRoot, report.key, 'tree');
    const token = readToken(template);
    const run = async (path: string, command: string) => {
      const outcome = await sandbox.run({
        command,
        worktreeRoot: path,
        workingDirectory: path,
        timeoutMilliseconds: 20_000,
        config: shell,
        signal,
      });
      if (outcome.type !== 'ran') throw new Error(`refused: ${outcome.reason}`);
      return outcome.result.output;
    };

    // as root on ext4 the templates are shared by hard links, the case that needs protecting; copies
    // (cadre not root) and clones need none, so only what holds for every mode is checked then
    const hardlinked = 'share' in report && report.share === 'hardlink';
    if (hardlinked) {
      const info = statSync(join(attacker!.path, 'deps', 'a', 'token'));
      expect(`${info.uid}:${info.gid}`).toBe(sharedFileOwner);
      expect(info.mode & 0o222).toBe(0);
      expect(info.nlink).toBe(4);
      expect(info.ino).toBe(statSync(join(template, 'deps', 'a', 'token')).ino);
      const attack = await run(
        attacker!.realPath,
        [
          'echo more >> deps/a/token; echo "append=$?"',
          ': > deps/a/token; echo "truncate=$?"',
          'chmod u+w deps/a/token; echo "chmod=$?"',
          'chown root deps/a/token; echo "chown=$?"',
          'echo more >> deps/a/token; echo "append-again=$?"',
        ].join('; '),
      );
      expect(attack).toMatch(/^append=1$/m);
      expect(attack).toMatch(/^truncate=1$/m);
      expect(attack).toMatch(/^chmod=1$/m);
      expect(attack).toMatch(/^chown=1$/m);
      expect(attack).toMatch(/^append-again=1$/m);
    }
    expect(readToken(attacker!.path)).toBe(token);
    expect(readToken(witness!.path)).toBe(token);
    expect(readToken(template)).toBe(token);

    // replacing a file (a new inode) gives that worktree its own copy, and leaves the others alone
    const replaced = await run(
      replacer!.realPath,
      'sed -i s/^/mine-/ deps/a/token; echo "sed=$?"; cat deps/a/token',
    );
    expect(replaced).toContain('sed=0');
    expect(readToken(replacer!.path)).toBe(`mine-${token}`);
    expect(readToken(witness!.path)).toBe(token);

    // the worktree's directories are its own: removing them works, and only there
    const removed = await run(attacker!.realPath, 'rm -rf deps; echo "rm=$?"; ls deps');
    expect(removed).toContain('rm=0');
    expect(existsSync(join(attacker!.path, 'deps'))).toBe(false);
    expect(readToken(witness!.path)).toBe(token);
    expect(readFileSync(join(witness!.path, 'deps', 'lock'), 'utf8')).toBe(
      readyRepoFiles['package-lock.json'],
    );
    expect(readToken(template)).toBe(token);
  });
});

describe('installed files without permissions for others', () => {
  // BUG: protectSharedFiles gives the files to nobody but keeps their mode, so a file only its owner
  // could read or run (0600, 0700: what a tempfile-and-rename install writes) becomes unusable
  it('can still be read and run in every worktree', async () => {
    const { manager, sandbox, shell } = await openWorkspace('private', {
      commands: [
        'mkdir -p deps && (umask 077 && echo secret > deps/private && printf "#!/bin/sh\\necho ran\\n" > deps/tool.sh && chmod 700 deps/tool.sh)',
      ],
    });
    const worktree = await manager.create({ label: 'private', signal });
    const outcome = await sandbox.run({
      command: 'cat deps/private; ./deps/tool.sh',
      worktreeRoot: worktree.realPath,
      workingDirectory: worktree.realPath,
      timeoutMilliseconds: 20_000,
      config: shell,
      signal,
    });
    expect(outcome).toMatchObject({ type: 'ran', result: { output: 'secret\nran\n' } });
  });
});
