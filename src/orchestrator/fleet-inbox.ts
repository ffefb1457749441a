import { type PollInbox, toInstruction } from '../agent/index.ts';
import type { TaskBoard } from '../board/index.ts';
import type { InboxMessage } from '../protocol/index.ts';

/** One poller for the inboxes of every agent of a run in this process. */
export interface FleetInbox {
  /** The inbox of one agent, for its loop; reads only memory. */
  forAgent(agentId: string): PollInbox;
  /** Drops an agent's queue when it ends. */
  forget(agentId: string): void;
  close(): void;
}

/**
 * Polls the board once per interval for messages to any agent of the run and hands each to its
 * agent's queue; a message is acknowledged when its agent takes it. With a thousand agents this is
 * one query per interval instead of a thousand.
 */
export function createFleetInbox(board: TaskBoard, runId: string, intervalMs: number): FleetInbox {
  const queues = new Map<string, InboxMessage[]>();
  const seen = new Set<string>();
  let polling = false;
  const poll = async () => {
    if (polling || queues.size === 0) return;
    polling = true;
    try {
      for (const message of await board.pendingAgentMessages({ runId })) {
        if (seen.has(message.id) || !message.agentId) continue;
        const queue = queues.get(message.agentId);
        // a message for an agent of another process (or one that ended) stays on the board
        if (!queue) continue;
        seen.add(message.id);
        queue.push(message);
      }
    } catch {
      // the next interval tries again; agents keep working meanwhile
    } finally {
      polling = false;
    }
  };
  const timer = setInterval(() => void poll(), intervalMs);
  return {
    forAgent(agentId) {
      if (!queues.has(agentId)) queues.set(agentId, []);
      return async (signal) => {
        const queue = queues.get(agentId);
        if (!queue || queue.length === 0) return [];
        const taken = queue.splice(0, queue.length);
        const delivered = await board.acknowledge(
          { messageIds: taken.map((message) => message.id) },
          { signal },
        );
        const ours = new Set(delivered.map((message) => message.id));
        return taken.filter((message) => ours.has(message.id)).map(toInstruction);
      };
    },
    forget(agentId) {
      for (const message of queues.get(agentId) ?? []) seen.delete(message.id);
      queues.delete(agentId);
    },
    close() {
      clearInterval(timer);
    },
  };
}
