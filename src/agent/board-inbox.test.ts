import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteBoard, type TaskBoard } from '../board/index.ts';
import { createTempBoardDirectory, type TempBoardDirectory } from '../board/testing/temp-board.ts';
import { createScriptedModel } from '../llm/testing/index.ts';
import type { Recipient } from '../protocol/index.ts';
import { createBoardInbox } from './board-inbox.ts';
import { runTestAgent } from './testing/run-test-agent.ts';

let directory: TempBoardDirectory;
let board: TaskBoard;
afterEach(async () => {
  await board.close();
  directory.cleanup();
});

async function openWithAgent(): Promise<Recipient> {
  directory = createTempBoardDirectory();
  board = openSqliteBoard({ path: directory.path() });
  const run = await board.createRun({ goal: 'test the inbox' });
  const agent = await board.registerAgent({ runId: run.id, role: 'worker', model: 'scripted:fake' });
  return { type: 'agent', runId: run.id, agentId: agent.id };
}

describe('createBoardInbox', () => {
  it('turns inbox messages into instructions and delivers each once', async () => {
    const recipient = await openWithAgent();
    const steer = await board.sendMessage({ recipient, kind: 'steer', body: 'look at src/a.ts' });
    await board.sendMessage({ recipient, kind: 'pause' });
    await board.sendMessage({ recipient, kind: 'stop' });
    const poll = createBoardInbox(board, recipient);
    const signal = new AbortController().signal;
    // The board orders messages sent within one millisecond by their random id, so compare as a set.
    const instructions = await poll(signal);
    expect(instructions).toHaveLength(3);
    expect(instructions).toEqual(
      expect.arrayContaining([
        { type: 'steer', messageId: steer.id, text: 'look at src/a.ts' },
        { type: 'pause', messageId: expect.any(String) },
        { type: 'stop', messageId: expect.any(String), reason: 'stop requested' },
      ]),
    );
    expect(await poll(signal)).toEqual([]);
    expect(await board.pollInbox({ recipient })).toEqual([]);
  });

  it('stops an agent whose model call hangs when a stop is sent on the board', async () => {
    const recipient = await openWithAgent();
    const { result, events } = await runTestAgent(createScriptedModel([{ type: 'hang' }]), {
      pollInbox: createBoardInbox(board, recipient),
      onEvent: async (event) => {
        if (event.type === 'model-call-started')
          setTimeout(
            () => void board.sendMessage({ recipient, kind: 'stop', body: 'from the dashboard' }),
            100,
          );
      },
    });
    expect(result.reason).toEqual({ type: 'stopped', reason: 'from the dashboard' });
    expect(events.map((event) => event.type).slice(-2)).toEqual(['stop-received', 'agent-ended']);
  });
});
