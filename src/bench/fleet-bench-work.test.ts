import { describe, expect, it } from 'vitest';
import { createSeededRandom, type SimPolicy, type SimPolicyContext, type SimTurn } from '../llm/index.ts';
import { createWorkLedger, isPollingTurn } from './fleet-bench-work.ts';

function call(...names: string[]): SimTurn {
  return { type: 'tool-calls', toolCalls: names.map((name) => ({ name, input: {} })) };
}

function contextWith(latencyMs: number): SimPolicyContext {
  return {
    system: '',
    messages: [],
    tools: [],
    random: createSeededRandom(1),
    step: 0,
    latencyMs,
    signal: new AbortController().signal,
  };
}

describe('fleet bench work', () => {
  it('calls a turn polling only when every tool it calls only looks at the board', () => {
    expect(isPollingTurn(call('list_tasks'))).toBe(true);
    expect(isPollingTurn(call('read_handoffs', 'wait_for_changes'))).toBe(true);
    expect(isPollingTurn(call('list_tasks', 'create_task'))).toBe(false);
    expect(isPollingTurn(call('write_file'))).toBe(false);
    expect(isPollingTurn({ type: 'text', text: 'done' })).toBe(false);
  });

  it('adds up the latency the simulation drew, polling apart, by policy', async () => {
    const turns = [call('create_task'), call('list_tasks'), call('read_handoffs')];
    const planner: SimPolicy = { name: 'planner', description: 'test', respond: () => turns.shift()! };
    const ledger = createWorkLedger();
    const observed = ledger.observe(planner);
    for (const latency of [1000, 800, 600]) await observed.respond(contextWith(latency));
    expect(ledger.total()).toMatchObject({ calls: 3, pollingCalls: 2, modelMs: 2400, pollingMs: 1400 });
    expect(ledger.byPolicy.get('planner')?.calls).toBe(3);
  });
});
