import type { InboxMessage } from '../protocol/index.ts';
import { pause } from './board-retry.ts';
import type { FleetDependencies } from './fleet-dependencies.ts';
import type { FleetState } from './fleet-state.ts';
import { setRunStatus } from './run-status.ts';

/** Options of watchRunInbox. */
export interface RunInboxOptions {
  deps: FleetDependencies;
  state: FleetState;
  runId: string;
  /** Called when a `stop` for the whole run arrives. */
  stop: (reason: string) => void;
  signal: AbortSignal;
  intervalMs?: number;
}

/**
 * Handles messages addressed to the run itself (`cadre stop --run`, `cadre pause`, a steer to the
 * whole run): a stop ends the run, pause and resume hold and release every slot and live agent (and
 * set the run's status, which joined workers follow), a
 * steer is passed to every live agent. Polls the board, so it works from any terminal or machine.
 */
export async function watchRunInbox(options: RunInboxOptions): Promise<void> {
  const { deps, state, runId, signal } = options;
  const fanOut = async (message: InboxMessage) => {
    // agents of joined `cadre worker` processes are live on the board, not in this process's state
    const onBoard = await deps.board.listAgents({ runId }).catch(() => []);
    const live = new Set([
      ...state.active.keys(),
      ...onBoard
        .filter((agent) => agent.status === 'running' || agent.status === 'paused')
        .map((agent) => agent.id),
    ]);
    for (const agentId of live) {
      await deps.board
        .sendMessage({ recipient: { type: 'agent', runId, agentId }, kind: message.kind, body: message.body })
        .catch(() => {});
    }
  };
  while (!signal.aborted) {
    const messages = await deps.board.pollInbox({ recipient: { type: 'run', runId } }).catch(() => []);
    for (const message of messages) {
      switch (message.kind) {
        case 'stop':
          deps.log?.(`stop requested${message.body ? `: ${message.body}` : ''}`);
          options.stop(message.body || 'stopped by request');
          break;
        case 'pause':
          deps.log?.('paused: no new agents start; running agents pause between steps');
          state.paused = true;
          // on the board, so joined `cadre worker` processes hold their claims too
          await setRunStatus(deps.board, runId, 'paused').catch((error: unknown) =>
            deps.log?.(`could not mark the run paused: ${(error as Error).message}`),
          );
          await fanOut(message);
          break;
        case 'resume':
          deps.log?.('resumed');
          state.paused = false;
          await setRunStatus(deps.board, runId, 'running').catch((error: unknown) =>
            deps.log?.(`could not mark the run running: ${(error as Error).message}`),
          );
          await fanOut(message);
          state.kick();
          break;
        case 'steer':
          deps.log?.(`steering ${state.active.size} live agents`);
          await fanOut(message);
          break;
      }
      await deps.board.acknowledge({ messageIds: [message.id] }).catch(() => {});
    }
    await pause(options.intervalMs ?? 500, signal);
  }
}
