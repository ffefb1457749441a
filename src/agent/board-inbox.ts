import type { TaskBoard } from '../board/index.ts';
import type { InboxMessage, Recipient } from '../protocol/index.ts';
import type { InboxInstruction, PollInbox } from './agent-inbox.ts';

/** The two board calls an agent's inbox needs. */
export type InboxBoard = Pick<TaskBoard, 'pollInbox' | 'acknowledge'>;

/**
 * Reads an agent's inbox on the board. Messages are acknowledged as soon as they are read, so each is
 * delivered at most once: a steer repeated after a crash would be worse than one lost with the agent.
 */
export function createBoardInbox(board: InboxBoard, recipient: Recipient): PollInbox {
  return async (signal) => {
    const messages = await board.pollInbox({ recipient }, { signal });
    if (messages.length === 0) return [];
    const delivered = await board.acknowledge(
      { messageIds: messages.map((message) => message.id) },
      { signal },
    );
    // Another reader may have taken some of them between our poll and our acknowledgement.
    const ours = new Set(delivered.map((message) => message.id));
    return messages.filter((message) => ours.has(message.id)).map(toInstruction);
  };
}

/** Turns a board inbox message into the instruction the loop acts on. */
export function toInstruction(message: InboxMessage): InboxInstruction {
  switch (message.kind) {
    case 'steer':
      return { type: 'steer', messageId: message.id, text: message.body };
    case 'stop':
      return { type: 'stop', messageId: message.id, reason: message.body || 'stop requested' };
    case 'pause':
      return { type: 'pause', messageId: message.id };
    case 'resume':
      return { type: 'resume', messageId: message.id };
    default:
      return assertNever(message.kind);
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled inbox kind ${JSON.stringify(value)}`);
}
