import { describe, expect, it } from 'vitest';
import { createScriptedModel } from './scripted-model.ts';

const signal = new AbortController().signal;

describe('scripted model', () => {
  it('replays turns in order, streams their text and records each request', async () => {
    const model = createScriptedModel([
      { type: 'tool-calls', toolCalls: [{ name: 'read_file', input: { path: 'a' } }] },
      (request) => ({ type: 'text', text: `saw ${request.messages.length} messages` }),
    ]);
    const first = await model.generate({ messages: [{ role: 'user', content: 'go' }] }, { signal });
    expect(first.toolCalls).toEqual([
      { id: 'call_1_1', name: 'read_file', input: { path: 'a' }, rawInput: '{"path":"a"}', inputError: null },
    ]);
    const deltas: string[] = [];
    const messages = [
      { role: 'user' as const, content: 'go' },
      { role: 'assistant' as const, content: '', toolCalls: first.toolCalls },
    ];
    const second = await model.generate({ messages }, { signal, onTextDelta: (delta) => deltas.push(delta) });
    expect(second.text).toBe('saw 2 messages');
    expect(deltas.join('')).toBe('saw 2 messages');
    messages.push({ role: 'user', content: 'mutated later' });
    expect(model.requests.map((request) => request.messages.length)).toEqual([1, 2]);
    expect(model.remaining()).toBe(0);
  });

  it('fails loudly when it runs out of turns', async () => {
    const model = createScriptedModel([{ type: 'text', text: 'only one' }]);
    await model.generate({ messages: [] }, { signal });
    await expect(model.generate({ messages: [] }, { signal })).rejects.toThrow(
      /ran out of turns: request 2 was not scripted/,
    );
  });

  it('throws scripted typed errors and hangs until aborted', async () => {
    const model = createScriptedModel([
      { type: 'error', errorType: 'rate-limit', retryAfterMs: 10 },
      { type: 'hang' },
    ]);
    await expect(model.generate({ messages: [] }, { signal })).rejects.toMatchObject({
      type: 'rate-limit',
      retryAfterMs: 10,
    });
    const controller = new AbortController();
    const hung = model.generate({ messages: [] }, { signal: controller.signal });
    controller.abort();
    await expect(hung).rejects.toMatchObject({ type: 'aborted' });
  });
});
