// A worktree made ready in its own process, for tests that SIGKILL it mid-setup. Argument: the JSON
// options of openReadyWorkspace (without the signal). Prints `ready <json>` once the worktree is ready.
import { openReadyWorkspace } from '../../testing/ready-setup.ts';

const options = JSON.parse(process.argv[2] ?? '{}') as Omit<
  Parameters<typeof openReadyWorkspace>[0],
  'signal'
>;
const signal = new AbortController().signal;
const { manager } = await openReadyWorkspace({ ...options, signal });
const worktree = await manager.create({ label: 'doomed', signal });
process.stdout.write(`ready ${JSON.stringify(worktree.ready)}\n`);
process.exit(0);
