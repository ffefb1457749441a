import { describe, expect, it } from 'vitest';
import {
  agentLoopCatalogEvent,
  type CatalogEventType,
  catalogEventTypes,
  checkNewEvent,
  type EventPayloadInput,
  eventCatalogVersion,
  parseStoredEvent,
} from './event-catalog.ts';

const usage = {
  inputTokens: 10,
  cachedInputTokens: 0,
  cacheWriteTokens: 0,
  outputTokens: 5,
  reasoningTokens: 0,
};
const error = { type: 'rate-limit', message: 'slow down', statusCode: 429, limitExceeded: null };
const landing = { fence: 2, elapsedMs: 40, agent: 'agent_aaaaaaaa' };
const placement = { process: 'worker', instance: 'instance_1', host: 'machine-a', pid: 42 };

// one sample per type: the compiler insists every catalog type has one
const samples: { [Type in CatalogEventType]: EventPayloadInput<Type> } = {
  'run.created': { goal: 'build a thing' },
  'run.updated': { status: 'paused' },
  'orchestrator.started': placement,
  'orchestrator.run-ended': { status: 'done', reason: 'the judge said stop', notes: [] },
  'worker.joined': placement,
  'cycle.started': { cycleId: 'cycle_1', n: 1 },
  'cycle.updated': { cycleId: 'cycle_1', n: 1, status: 'done', verdict: { continue: false } },
  'cycle.base': { cycleId: 'cycle_1', commit: 'abc1234' },
  'judge.stray-cancelled': { reason: 'a stray' },
  'task.created': { kind: 'work', title: 'one', parentId: null, priority: 0 },
  'task.updated': { title: 'renamed' },
  'task.cancelled': { reason: 'not needed', was: 'open' },
  'task.claimed': { owner: 'agent_aaaaaaaa', fence: 1, expiresAt: 5000 },
  'task.completed': { fence: 1, owner: 'agent_aaaaaaaa' },
  'task.retrying': { fence: 1, reason: 'tests failed', attempts: 1 },
  'task.failed': { fence: 1, reason: 'tests failed', attempts: 3 },
  'task.released': { fence: 1 },
  'task.expired': { owner: 'agent_aaaaaaaa', fence: 1, attempts: 1 },
  'agent.registered': { role: 'worker', model: 'sim:worker', parentId: null, promptHash: 'h', placement },
  'agent.updated': { status: 'done' },
  'agent.placed': placement,
  'agent.settle-failed': { fence: 1, settlement: null, message: 'stale fence' },
  'agent.agent-started': { modelId: 'sim:worker', toolNames: ['read_file'], task: 'do it' },
  'agent.model-call-started': { step: 1, purpose: 'step', requestTokens: 100, requestTokensExact: false },
  'agent.model-call-ended': {
    step: 1,
    purpose: 'step',
    modelId: 'sim:worker',
    text: 'thinking',
    toolCalls: [
      { id: 'call-1', name: 'read_file', input: { path: 'a' }, rawInput: '{"path":"a"}', inputError: null },
    ],
    finishReason: 'tool-calls',
    usage,
    costUsd: null,
    latencyMs: 12,
  },
  'agent.model-call-failed': { step: 1, purpose: 'step', errorType: 'timeout', message: 'too slow' },
  'agent.tool-call-started': { step: 1, toolName: 'read_file', input: { path: 'a' } },
  'agent.tool-call-ended': {
    step: 1,
    toolCallId: 'call-1',
    toolName: 'read_file',
    outcome: { type: 'success', output: 'text', details: null, cutCharacters: 0 },
    durationMs: 3,
  },
  'agent.compaction': { strategy: 'summarize', tokensBefore: 100, tokensAfter: 10, messagesAffected: 4 },
  'agent.steer-received': { messageId: 'msg_1', text: 'also docs' },
  'agent.stop-received': { messageId: null, reason: 'enough' },
  'agent.paused': { messageId: null },
  'agent.resumed': { messageId: null, pausedMs: 100 },
  'agent.inbox-poll-failed': { message: 'board unreachable' },
  'agent.stuck-warning': { pattern: 'no-tool-calls', detail: 'three answers without a call' },
  'agent.truncated-tool-calls': { step: 2, toolNames: ['write_file'] },
  'agent.agent-ended': {
    reason: { type: 'completed', text: 'done' },
    totals: { steps: 2, usage, costUsd: 0.01, unpricedCalls: 0 },
  },
  'inbox.sent': { messageId: 'msg_1', kind: 'steer', body: 'also docs' },
  'inbox.delivered': { messageId: 'msg_1', kind: 'steer' },
  'landing.recorded': { fence: 2, commit: 'abc1234' },
  'landing.attempt': { ...landing, attempt: 1, tip: 'abc1234', files: ['a.ts'] },
  'landing.retry': { ...landing, attempt: 1, reason: 'lost the race', delayMs: 20 },
  'landing.conflict': { ...landing, attempt: 1, files: ['a.ts'], tip: 'abc1234' },
  'landing.landed': { ...landing, commit: 'def5678', source: 'push', attempts: 1, files: ['a.ts'] },
  'landing.not-landed': { ...landing, outcome: 'conflict', attempts: 2, detail: 'a.ts' },
  'queue.submitted': { entryId: 'qe_1', commit: 'abc1234', base: 'def5678', files: ['a.ts'] },
  'queue.settled': { entryId: 'qe_1', outcome: { type: 'landed', commit: 'abc1234', checkRunId: 'cr_1' } },
  'queue.check-run': {
    checkRunId: 'cr_1',
    commit: 'abc1234',
    base: 'def5678',
    entries: ['qe_1', 'qe_2'],
    result: 'failed',
    flaky: false,
    durationMs: 1200,
    fixTaskId: null,
  },
  'queue.lease': { owner: 'queue-runner', fence: 2 },
  'queue.batch': {
    batchId: 'batch-1',
    head: 'abc1234',
    base: 'def5678',
    entries: ['qe_1', 'qe_2'],
    depth: 1,
    purpose: 'bisect',
  },
  'queue.pushed': { commit: 'abc1234', previousTip: 'def5678', entries: ['qe_1'], checkRunId: 'cr_1' },
  'queue.red-tip': { tip: 'abc1234', checkRunId: 'cr_2', fixTaskId: 'task_1', action: 'hold' },
  'queue.held': { reason: 'the tip is red' },
  'queue.resumed': {},
  'model.retry': {
    type: 'retry',
    role: 'worker',
    modelId: 'm',
    attempt: 1,
    delayMs: 10,
    elapsedMs: 20,
    error,
  },
  'model.fallback': {
    type: 'fallback',
    role: 'worker',
    fromModelId: 'm',
    toModelId: 'n',
    category: 'retryable',
    reason: 'max-attempts',
    attempts: 3,
    elapsedMs: 90,
    error,
  },
  'model.model-skipped': { type: 'model-skipped', role: 'worker', modelId: 'm', retryInMs: 1000 },
  'model.call-failed': {
    type: 'call-failed',
    role: 'worker',
    modelId: 'router:worker',
    reason: 'chain-exhausted',
    category: null,
    attempts: 4,
    elapsedMs: 100,
    error,
  },
  'model.breaker-opened': { type: 'breaker-opened', modelId: 'm', failures: 5, coolDownMs: 30_000 },
  'model.breaker-half-open': { type: 'breaker-half-open', modelId: 'm' },
  'model.breaker-closed': { type: 'breaker-closed', modelId: 'm' },
  'sandbox.status': { host: 'machine-a', pid: 42, status: { type: 'refused', reason: 'no bwrap' } },
  'workspace.setup': {
    agentId: 'agent_aaaaaaaa',
    taskId: null,
    worktree: 'w1',
    phase: 'create',
    readyMs: 1200,
    report: { type: 'template-hit', key: 'k', share: 'reflink', linkMs: 10 },
  },
  'workspace.setup-paused': { consecutiveFailures: 3, reason: 'npm ci failed' },
  'coordination.occ-conflict': { agent: 1, read: 4 },
  'coordination.unlocked-write': { agent: 1, read: 4 },
  'coordination.lock-reacquired': { agent: 1, fence: 3 },
  'coordination.work-done': { agent: 1, task: 7, duplicate: false },
  'coordination.lock-expired': { owner: 'peer-1', fence: 3 },
};

describe('the event catalog', () => {
  it('is versioned and lists each type once', () => {
    expect(eventCatalogVersion).toBeGreaterThanOrEqual(1);
    expect(new Set(catalogEventTypes).size).toBe(catalogEventTypes.length);
    expect(Object.keys(samples).sort()).toEqual([...catalogEventTypes].sort());
  });

  it.each(catalogEventTypes.map((type) => [type]))('%s round-trips through JSON', (type) => {
    const payload = samples[type];
    const checked = checkNewEvent(type, payload);
    if (!checked.ok) throw new Error(checked.message);
    const stored = JSON.parse(JSON.stringify(checked.event.payload));
    expect(parseStoredEvent(type, stored)).toEqual(checked.event);
    expect(checked.event.type).toBe(type);
  });

  it('reads a settled queue entry whose outcome it does not know as unknown', () => {
    const read = parseStoredEvent('queue.settled', { entryId: 'qe_1', outcome: { type: 'teleported' } });
    expect(read).toMatchObject({ type: 'unknown', storedType: 'queue.settled' });
    expect(checkNewEvent('queue.batch', { ...samples['queue.batch'], purpose: 'guess' }).ok).toBe(false);
  });

  it('keeps fields a newer cadre added', () => {
    const read = parseStoredEvent('task.released', { fence: 3, by: 'a newer cadre' });
    expect(read).toEqual({ type: 'task.released', payload: { fence: 3, by: 'a newer cadre' } });
  });

  it('reads a type it does not know, or an old payload it cannot, as unknown without throwing', () => {
    expect(parseStoredEvent('test.note', { text: 'hello' })).toEqual({
      type: 'unknown',
      storedType: 'test.note',
      payload: { text: 'hello' },
      reason: expect.stringContaining('test.note is not in the event catalog'),
    });
    const old = parseStoredEvent('task.claimed', { owner: 'w' });
    expect(old).toMatchObject({ type: 'unknown', storedType: 'task.claimed', payload: { owner: 'w' } });
    expect(old.type === 'unknown' && old.reason).toMatch(/payload\.fence/);
    expect(parseStoredEvent('agent.agent-ended', null)).toMatchObject({ type: 'unknown' });
    expect(parseStoredEvent('agent.agent-ended', 'a string')).toMatchObject({ type: 'unknown' });
    expect(parseStoredEvent('unknown', {})).toMatchObject({ type: 'unknown', storedType: 'unknown' });
  });

  it('refuses a bad payload to append with a message naming the field, and an unknown type', () => {
    const bad = checkNewEvent('task.claimed', { owner: 'w', fence: 'one', expiresAt: 5 });
    expect(bad).toEqual({ ok: false, message: expect.stringMatching(/^task\.claimed: payload\.fence: /) });
    const nested = checkNewEvent('agent.agent-ended', {
      reason: { type: 'completed', text: 'done' },
      totals: { steps: 1, usage: { ...usage, outputTokens: 'many' }, costUsd: 0, unpricedCalls: 0 },
    });
    expect(nested.ok === false && nested.message).toMatch(/payload\.totals\.usage\.outputTokens/);
    expect(checkNewEvent('test.note', {})).toEqual({
      ok: false,
      message: expect.stringContaining('test.note is not in the event catalog'),
    });
  });

  it('turns an agent loop event into its agent.* catalog event, without its clock stamp', () => {
    const event = agentLoopCatalogEvent({ type: 'paused', messageId: null, at: 5 });
    expect(event).toEqual({ type: 'agent.paused', payload: { messageId: null } });
    expect(checkNewEvent(event.type, event.payload).ok).toBe(true);
  });
});
