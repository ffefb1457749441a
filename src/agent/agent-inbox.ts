/** One instruction from a person (or the orchestrator) to a running agent, tagged by `type`. */
export type InboxInstruction =
  | { type: 'steer'; messageId: string | null; text: string }
  | { type: 'stop'; messageId: string | null; reason: string }
  | { type: 'pause'; messageId: string | null }
  | { type: 'resume'; messageId: string | null };

/**
 * Fetches the instructions that arrived since the last poll, oldest first, each delivered once. The
 * loop calls it between steps and on a timer while a model call or tool runs, never two at a time.
 */
export type PollInbox = (signal: AbortSignal) => Promise<InboxInstruction[]>;

/** An in-memory inbox for tests and embedders: `send` queues, the loop's polls drain. */
export interface MemoryInbox {
  poll: PollInbox;
  send(instruction: InboxInstruction): void;
}

/** Creates an in-memory inbox. */
export function createMemoryInbox(): MemoryInbox {
  const queue: InboxInstruction[] = [];
  return {
    async poll(signal) {
      signal.throwIfAborted();
      return queue.splice(0, queue.length);
    },
    send(instruction) {
      queue.push(instruction);
    },
  };
}
