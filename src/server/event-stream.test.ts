import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BoardEvent } from '../protocol/index.ts';
import { type RunningDashboard, startDashboard } from './serve.ts';
import { createSeededBoard, type SeededBoard } from './testing/seeded-board.ts';

let seeded: SeededBoard;
let dashboard: RunningDashboard;

interface StreamMessage {
  id: string | undefined;
  event: string | undefined;
  data: string;
}

/** Reads Server-Sent Events from a response until `count` data messages (not `ready`) arrived. */
async function readMessages(response: Response, count: number): Promise<StreamMessage[]> {
  const reader = (response.body as ReadableStream<Uint8Array>)
    .pipeThrough(new TextDecoderStream())
    .getReader();
  const messages: StreamMessage[] = [];
  let buffer = '';
  while (messages.filter((message) => message.event === undefined).length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let end = buffer.indexOf('\n\n');
    while (end !== -1) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const fields = new Map<string, string>();
      for (const line of block.split('\n')) {
        const colon = line.indexOf(':');
        if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 1).trimStart());
      }
      if (fields.has('data'))
        messages.push({
          id: fields.get('id'),
          event: fields.get('event'),
          data: fields.get('data') as string,
        });
      end = buffer.indexOf('\n\n');
    }
  }
  await reader.cancel();
  return messages;
}

beforeAll(async () => {
  seeded = await createSeededBoard(3);
  dashboard = await startDashboard({ board: seeded.board, port: 0 });
});
afterAll(async () => {
  await dashboard.close();
  await seeded.cleanup();
});

describe('the live event stream', () => {
  const streamUrl = (query = '') => `${dashboard.origin}/api/runs/${seeded.runId}/stream${query}`;

  it('needs the token (a query parameter, since EventSource cannot send headers)', async () => {
    expect((await fetch(streamUrl())).status).toBe(401);
    expect((await fetch(streamUrl('?token=nope'))).status).toBe(401);
  });

  it('resumes after the Last-Event-ID and sends each seq as the event id', async () => {
    const history = await seeded.board.readEvents({ runId: seeded.runId });
    const resumeAfter = history[4]?.seq as number;
    const response = await fetch(streamUrl(`?token=${dashboard.token}`), {
      headers: { 'last-event-id': String(resumeAfter) },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const expected = history.filter((event) => event.seq > resumeAfter).slice(0, 3);
    const messages = await readMessages(response, 3);
    const data = messages.filter((message) => message.event === undefined).slice(0, 3);
    expect(data.map((message) => Number(message.id))).toEqual(expected.map((event) => event.seq));
    expect(data.map((message) => (JSON.parse(message.data) as BoardEvent).type)).toEqual(
      expected.map((event) => event.type),
    );
  });

  it('delivers events appended after it opened', async () => {
    const response = await fetch(streamUrl(`?token=${dashboard.token}`));
    const reading = readMessages(response, 1);
    // the stream starts at the newest event, so only this one arrives
    await new Promise((resolve) => setTimeout(resolve, 50));
    const appended = await seeded.board.appendEvent({
      runId: seeded.runId,
      type: 'judge.stray-cancelled',
      payload: { reason: 'note' },
    });
    const [message] = (await reading).filter((entry) => entry.event === undefined);
    expect(Number(message?.id)).toBe(appended.seq);
  });

  it('refuses a Last-Event-ID that is not a seq', async () => {
    const response = await fetch(streamUrl(`?token=${dashboard.token}`), {
      headers: { 'last-event-id': 'x' },
    });
    expect(response.status).toBe(400);
  });
});
