import { describe, expect, it } from 'vitest';
import { createScriptedModel } from '../llm/testing/index.ts';
import type { AgentEvent } from './agent-events.ts';
import { createMemoryInbox } from './agent-inbox.ts';
import { runTestAgent } from './testing/run-test-agent.ts';

const noteCall = (text: string) => ({
  type: 'tool-calls' as const,
  toolCalls: [{ name: 'note', input: { text } }],
});

function indexOf(events: AgentEvent[], type: AgentEvent['type'], from = 0): number {
  return events.findIndex((event, index) => index >= from && event.type === type);
}

describe('steering through the inbox', () => {
  it('puts a steer into the next request as a user message', async () => {
    const inbox = createMemoryInbox();
    const model = createScriptedModel([
      () => {
        // Arrives while the first call is in flight.
        inbox.send({ type: 'steer', messageId: 'msg_1', text: 'Use British spelling.' });
        return noteCall('colour');
      },
      { type: 'text', text: 'done' },
    ]);
    const { result, events } = await runTestAgent(model, { pollInbox: inbox.poll });
    expect(result.reason.type).toBe('completed');
    expect(model.requests[0]?.messages).toHaveLength(1);
    expect(model.requests[1]?.messages.at(-1)).toEqual({ role: 'user', content: 'Use British spelling.' });
    expect(events.find((event) => event.type === 'steer-received')).toMatchObject({ messageId: 'msg_1' });
  });

  it('answers a steer that arrives with the final answer instead of ending', async () => {
    const inbox = createMemoryInbox();
    const model = createScriptedModel([
      () => {
        inbox.send({ type: 'steer', messageId: null, text: 'Also add a test.' });
        return { type: 'text', text: 'done' };
      },
      { type: 'text', text: 'Added the test too.' },
    ]);
    const { result } = await runTestAgent(model, { pollInbox: inbox.poll });
    expect(result.reason).toEqual({ type: 'completed', text: 'Added the test too.' });
    expect(model.requests[1]?.messages.at(-1)).toEqual({ role: 'user', content: 'Also add a test.' });
  });

  it('ends right after a finishing tool, with no closing model call, unless a steer is waiting', async () => {
    let finished = false;
    const finishing = { isFinishedByTools: () => finished, isTaskFinished: () => finished };
    const quiet = createScriptedModel([
      () => {
        finished = true;
        return { ...noteCall('handoff'), text: 'Handing off.' };
      },
      { type: 'text', text: 'never asked' },
    ]);
    const { result } = await runTestAgent(quiet, finishing);
    expect(result.reason).toEqual({ type: 'completed', text: 'Handing off.' });
    expect(quiet.requests).toHaveLength(1);

    finished = false;
    const inbox = createMemoryInbox();
    const steered = createScriptedModel([
      () => {
        finished = true;
        inbox.send({ type: 'steer', messageId: null, text: 'Mention the flaky test.' });
        return noteCall('handoff');
      },
      { type: 'text', text: 'Noted the flaky test as well.' },
    ]);
    const answered = await runTestAgent(steered, { ...finishing, pollInbox: inbox.poll });
    expect(answered.result.reason).toEqual({ type: 'completed', text: 'Noted the flaky test as well.' });
    expect(steered.requests[1]?.messages.at(-1)).toEqual({
      role: 'user',
      content: 'Mention the flaky test.',
    });
  });

  it('holds the loop between steps while paused and goes on after resume', async () => {
    const inbox = createMemoryInbox();
    const model = createScriptedModel([
      () => {
        inbox.send({ type: 'pause', messageId: 'msg_p' });
        return noteCall('first');
      },
      { type: 'text', text: 'done' },
    ]);
    let pausedAt = 0;
    const { result, events } = await runTestAgent(model, {
      pollInbox: inbox.poll,
      onEvent(event) {
        if (event.type !== 'paused') return;
        pausedAt = Date.now();
        setTimeout(() => inbox.send({ type: 'resume', messageId: 'msg_r' }), 150);
      },
    });
    expect(result.reason.type).toBe('completed');
    const types = events.map((event) => event.type);
    const paused = indexOf(events, 'paused');
    const resumed = indexOf(events, 'resumed');
    // The first step finishes (its tool runs), then nothing happens until the resume.
    expect(indexOf(events, 'tool-call-ended')).toBeLessThan(paused);
    expect(resumed).toBeGreaterThan(paused);
    expect(types.slice(paused, resumed + 2)).toEqual(['paused', 'resumed', 'model-call-started']);
    expect(events[resumed]).toMatchObject({ messageId: 'msg_r', pausedMs: expect.any(Number) });
    expect(Date.now() - pausedAt).toBeGreaterThanOrEqual(100);
  });

  it('stops a paused agent', async () => {
    const inbox = createMemoryInbox();
    const model = createScriptedModel([
      () => {
        inbox.send({ type: 'pause', messageId: null });
        return noteCall('first');
      },
    ]);
    const { result, events } = await runTestAgent(model, {
      pollInbox: inbox.poll,
      onEvent(event) {
        if (event.type === 'paused')
          setTimeout(() => inbox.send({ type: 'stop', messageId: null, reason: 'enough' }), 50);
      },
    });
    expect(result.reason).toEqual({ type: 'stopped', reason: 'enough' });
    expect(events.map((event) => event.type).slice(-3)).toEqual(['paused', 'stop-received', 'agent-ended']);
  });

  it('aborts a model call in flight when a stop arrives', async () => {
    const inbox = createMemoryInbox();
    const model = createScriptedModel([{ type: 'hang' }]);
    const started = Date.now();
    const { result, events } = await runTestAgent(model, {
      pollInbox: inbox.poll,
      onEvent(event) {
        if (event.type === 'model-call-started')
          setTimeout(() => inbox.send({ type: 'stop', messageId: 'msg_s', reason: 'wrong task' }), 100);
      },
    });
    expect(result.reason).toEqual({ type: 'stopped', reason: 'wrong task' });
    expect(events.map((event) => event.type)).toEqual([
      'agent-started',
      'model-call-started',
      'stop-received',
      'agent-ended',
    ]);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('stops when the caller aborts its signal', async () => {
    const controller = new AbortController();
    const model = createScriptedModel([{ type: 'hang' }]);
    setTimeout(() => controller.abort(), 50);
    const { result } = await runTestAgent(model, { signal: controller.signal });
    expect(result.reason).toEqual({ type: 'stopped', reason: 'the caller aborted the agent' });
  });

  it('keeps going when the inbox cannot be read', async () => {
    const model = createScriptedModel([{ type: 'text', text: 'done' }]);
    const { result, events } = await runTestAgent(model, {
      pollInbox: async () => {
        throw new Error('board is down');
      },
    });
    expect(result.reason.type).toBe('completed');
    expect(events.find((event) => event.type === 'inbox-poll-failed')).toMatchObject({
      message: 'Error: board is down',
    });
  });
});
