import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSandbox, type Sandbox, SandboxConfig, type SandboxConfigInput } from '../../sandbox/index.ts';
import { createGit, type Git } from '../git/run-git.ts';
import type { Hub } from '../hub/hub.ts';
import { openLocalHub } from '../hub/open-local-hub.ts';
import { createReadyWorktrees, type ReadyWorktrees } from '../ready/ready-worktrees.ts';
import { SetupSettings, type SetupSettingsInput } from '../ready/setup-settings.ts';
import { createWorktreeManager, type WorktreeManager } from '../worktree/create-worktree-manager.ts';
import type { TempRepo } from './temp-repo.ts';

/** Files of a repository for ready-worktree tests: a lock file, and `deps/` (what setups install) ignored. */
export const readyRepoFiles: Record<string, string> = {
  'package-lock.json': '{"v":1}\n',
  '.gitignore': 'deps/\n',
  'README.md': '# ready\n',
};

/** A setup that installs a random token (`deps/a/token`) and a copy of the lock file (`deps/lock`). */
export const tokenSetupCommand =
  'mkdir -p deps/a && head -c 8 /dev/urandom | od -An -tx1 | tr -d " \\n" > deps/a/token && cp package-lock.json deps/lock';

/** A hub, a worktree manager whose worktrees run a setup (sandboxed), and what they were made with. */
export interface ReadyWorkspace {
  git: Git;
  hub: Hub;
  sandbox: Sandbox;
  /** The agents' shell sandbox settings (the setup runs with these plus its own). */
  shell: SandboxConfig;
  settings: SetupSettings;
  /** Directory of the worktrees. */
  root: string;
  /** Directory of the ready templates, `<root>/.ready` as in a run. */
  readyRoot: string;
  ready: ReadyWorktrees;
  manager: WorktreeManager;
}

/** Opens (creating it on first use) the hub at `hubPath` and a manager over `root` whose worktrees run `settings`. */
export async function openReadyWorkspace(options: {
  userRepo: string;
  hubPath: string;
  root: string;
  settings: SetupSettingsInput;
  shell?: SandboxConfigInput;
  signal: AbortSignal;
}): Promise<ReadyWorkspace> {
  const git = createGit();
  const hub = await openLocalHub({
    userRepo: options.userRepo,
    git,
    signal: options.signal,
    path: options.hubPath,
  });
  const sandbox = createSandbox();
  const shell = SandboxConfig.parse(options.shell ?? {});
  const settings = SetupSettings.parse(options.settings);
  const readyRoot = join(options.root, '.ready');
  const ready = createReadyWorktrees({ settings, root: readyRoot, sandbox, shell, git, pollIntervalMs: 20 });
  const manager = createWorktreeManager({ hub, root: options.root, git, ready });
  return { git, hub, sandbox, shell, settings, root: options.root, readyRoot, ready, manager };
}

/** Commits `files` in the user repository and pushes that commit to the hub's branch; returns the commit. */
export function commitToHub(repo: TempRepo, hub: Hub, files: Record<string, string>): string {
  for (const [path, content] of Object.entries(files)) repo.write(path, content);
  const commit = repo.commit(`change ${Object.keys(files).join(', ')}`);
  repo.git(['push', '--quiet', '--no-verify', hub.url, `${commit}:refs/heads/${hub.branch}`]);
  return commit;
}

/** The token `tokenSetupCommand` installed in a worktree (or a template's tree). */
export function readToken(directory: string): string {
  return readFileSync(join(directory, 'deps', 'a', 'token'), 'utf8');
}
