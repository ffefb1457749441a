import { describe, expect, it } from 'vitest';
import { ModelsConfig, type ModelsConfigInput } from '../../protocol/index.ts';
import { createModel } from '../create-model.ts';
import type { ModelRequest, ModelResponse } from '../model.ts';
import { createModelRouter } from '../router/model-router.ts';
import { createFakeTime } from '../testing/fake-time.ts';
import { createSimPolicyRegistry } from './builtin-policies.ts';
import { simLabel } from './sim-language-model.ts';
import type { SimPolicy } from './sim-policy.ts';

const tools = [
  {
    name: 'read_file',
    description: 'Read a file',
    inputSchema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
  },
  { name: 'list_files', description: 'List files', inputSchema: { type: 'object', properties: {} } },
];
const ask: ModelRequest = {
  system: 'be brief',
  messages: [{ role: 'user', content: 'Look around.' }],
  tools,
};
const signal = new AbortController().signal;

function simModel(
  id: string,
  sim: ModelsConfigInput['sim'] = {},
  transport: 'stream' | 'generate' = 'stream',
) {
  const time = createFakeTime();
  const config = ModelsConfig.parse({ sim });
  return { model: createModel(id, { config, env: {}, sleep: time.sleep, transport }), time };
}

async function outcomes(id: string, sim: ModelsConfigInput['sim'], calls: number): Promise<string[]> {
  const { model } = simModel(id, sim);
  const results: string[] = [];
  for (let index = 0; index < calls; index++) {
    const result = await model.generate(ask, { signal }).then(
      (response: ModelResponse) =>
        `ok:${response.text}:${JSON.stringify(response.toolCalls.map((call) => call.input))}`,
      (error: { type: string }) => `error:${error.type}`,
    );
    results.push(result);
  }
  return results;
}

describe('sim model', () => {
  it('labels its output as simulated and reports plausible usage', async () => {
    const { model } = simModel('sim:echo');
    const deltas: string[] = [];
    const response = await model.generate(ask, { signal, onTextDelta: (delta) => deltas.push(delta) });
    expect(response.text.startsWith(simLabel)).toBe(true);
    expect(response.text).toContain('Look around.');
    expect(deltas.join('')).toBe(response.text);
    expect(response.providerModel).toBe('sim:echo');
    expect(response.usage.inputTokens).toBeGreaterThan(0);
    expect(response.usage.outputTokens).toBeGreaterThan(0);
  });

  it('is deterministic for a seed, and the seed matters', async () => {
    const sim = { seed: 7, faults: { rateLimit: 0.3, serverError: 0.2 } };
    const first = await outcomes('sim:random-tools', sim, 12);
    expect(await outcomes('sim:random-tools', sim, 12)).toEqual(first);
    expect(first.some((outcome) => outcome.startsWith('error:'))).toBe(true);
    expect(first.some((outcome) => outcome.startsWith('ok:'))).toBe(true);
    expect(await outcomes('sim:random-tools', { ...sim, seed: 8 }, 12)).not.toEqual(first);
  });

  it('calls tools with inputs that fit their schemas', async () => {
    const { model } = simModel('sim:random-tools', { seed: 3 });
    const response = await model.generate(ask, { signal });
    expect(response.finishReason).toBe('tool-calls');
    for (const call of response.toolCalls) {
      expect(['read_file', 'list_files']).toContain(call.name);
      expect(call.inputError).toBeNull();
      if (call.name === 'read_file') expect(call.input).toEqual({ path: 'simulated' });
    }
  });

  it('injects 429 with Retry-After, 500 and malformed tool JSON as typed failures', async () => {
    await expect(
      simModel('sim:echo', { faults: { rateLimit: 1 }, retryAfterSeconds: 4 }).model.generate(ask, {
        signal,
      }),
    ).rejects.toMatchObject({ type: 'rate-limit', retryAfterMs: 4_000, statusCode: 429 });
    await expect(
      simModel('sim:echo', { faults: { serverError: 1 } }).model.generate(ask, { signal }),
    ).rejects.toMatchObject({
      type: 'server',
    });
    const malformed = await simModel('sim:random-tools', { faults: { malformedToolCall: 1 } }).model.generate(
      ask,
      { signal },
    );
    expect(malformed.toolCalls[0]?.inputError).toMatch(/not valid JSON/);
  });

  it('tears streams mid-way and hangs until aborted', async () => {
    await expect(
      simModel('sim:echo', { faults: { tornStream: 1 } }).model.generate(ask, { signal }),
    ).rejects.toMatchObject({
      type: 'stream-torn',
    });
    await expect(
      simModel('sim:echo', { faults: { tornStream: 1 } }, 'generate').model.generate(ask, { signal }),
    ).rejects.toMatchObject({ type: 'network', retryable: true });
    const controller = new AbortController();
    const hung = simModel('sim:echo', { faults: { hang: 1 } }).model.generate(ask, {
      signal: controller.signal,
    });
    controller.abort();
    await expect(hung).rejects.toMatchObject({ type: 'aborted' });
  });

  it('waits a latency drawn from the configured distribution through the injected sleep', async () => {
    const fixed = simModel('sim:echo', { latency: { type: 'fixed', ms: 250 } });
    await fixed.model.generate(ask, { signal });
    expect(fixed.time.sleeps).toEqual([250]);
    const uniform = simModel('sim:echo', { latency: { type: 'uniform', minMs: 100, maxMs: 200 } });
    for (let index = 0; index < 5; index++) await uniform.model.generate(ask, { signal });
    expect(uniform.time.sleeps).toHaveLength(5);
    for (const delay of uniform.time.sleeps) expect(delay >= 100 && delay <= 200).toBe(true);
    expect(new Set(uniform.time.sleeps).size).toBeGreaterThan(1);
  });

  it('tells the policy the latency it drew and waited, so a wrapper can record nominal time', async () => {
    const drawn: number[] = [];
    const recording: SimPolicy = {
      name: 'recording',
      description: 'records the nominal latency of each call',
      respond: (context) => {
        drawn.push(context.latencyMs);
        return { type: 'text', text: 'recorded' };
      },
    };
    const time = createFakeTime();
    const config = ModelsConfig.parse({ sim: { latency: { type: 'uniform', minMs: 100, maxMs: 200 } } });
    const simPolicies = createSimPolicyRegistry([recording]);
    const model = createModel('sim:recording', { config, env: {}, simPolicies, sleep: time.sleep });
    for (let index = 0; index < 3; index++) await model.generate(ask, { signal });
    expect(drawn).toEqual(time.sleeps);
  });

  it('runs custom policies and names the known ones when a policy is missing', async () => {
    const planner: SimPolicy = {
      name: 'planner',
      description: 'files one task',
      respond: (context) => ({
        type: 'tool-calls',
        toolCalls: [{ name: 'create_task', input: { step: context.step } }],
      }),
    };
    const config = ModelsConfig.parse({});
    const simPolicies = createSimPolicyRegistry([planner]);
    const model = createModel('sim:planner', { config, env: {}, simPolicies });
    const response = await model.generate(ask, { signal });
    expect(response.toolCalls[0]).toMatchObject({ name: 'create_task', input: { step: 0 } });
    expect(() => createModel('sim:oracle', { config, env: {}, simPolicies })).toThrow(
      /no sim policy named "oracle".*planner/,
    );
  });

  it('lets the router retry injected faults until a call gets through', async () => {
    const time = createFakeTime();
    const retries: number[] = [];
    const config = ModelsConfig.parse({ sim: { seed: 6, faults: { rateLimit: 0.7 } } });
    const router = createModelRouter({
      roles: { worker: ['sim:echo'] },
      createModel: (id) => createModel(id, { config, env: {}, sleep: time.sleep }),
      retry: { maxElapsedMs: 60_000, initialDelayMs: 10, maxDelayMs: 100, maxRetryAfterMs: 10_000 },
      breaker: { failureThreshold: 20, coolDownMs: 1_000 },
      onEvent: (event) => {
        if (event.type === 'retry') retries.push(event.delayMs);
      },
      clock: time.clock,
      sleep: time.sleep,
    });
    const response = await router.modelFor('worker').generate(ask, { signal });
    expect(response.text.startsWith(simLabel)).toBe(true);
    // The simulated 429 asks for 1 s, which the router honors over its own shorter backoff.
    expect(retries).toHaveLength(2);
    expect(retries.every((delay) => delay === 1_000)).toBe(true);
  });
});
