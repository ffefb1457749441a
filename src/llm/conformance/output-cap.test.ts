import { describe, expect, it } from 'vitest';
import { createModel } from '../create-model.ts';
import { modelLimitsFor } from '../limits/model-limits.ts';
import type { ModelRequest } from '../model.ts';
import type { RecordedRequest } from '../testing/protocol-server/protocol-server.ts';
import { adapterCases, configFor, testEnv } from './adapter-cases.ts';
import { createSharedProtocolServer } from './shared-protocol-server.ts';

const signal = new AbortController().signal;
const asking = (maxOutputTokens: number): ModelRequest => ({
  messages: [{ role: 'user', content: 'Write at length.' }],
  maxOutputTokens,
});

/** The output budget a request carried, under whichever name its wire protocol and model use. */
function sentOutputTokens(request: RecordedRequest | undefined): unknown {
  const body = request?.body ?? {};
  return body.max_output_tokens ?? body.max_completion_tokens ?? body.max_tokens;
}

const server = createSharedProtocolServer();

describe.each(adapterCases)('output cap of $id', (adapter) => {
  it("clamps a request to the model's configured cap and leaves smaller ones alone", async () => {
    const config = configFor(server.baseURL, { limits: { [adapter.id]: { maxOutputTokens: 1_000 } } });
    const model = createModel(adapter.id, { config, env: testEnv });
    server.enqueue({ type: 'text', text: 'Clamped.' }, { type: 'text', text: 'As asked.' });
    await model.generate(asking(16_000), { signal });
    await model.generate(asking(300), { signal });
    expect(server.requests.map(sentOutputTokens)).toEqual([1_000, 300]);
  });

  it('clamps to the built-in cap when the config names none', async () => {
    const config = configFor(server.baseURL);
    server.enqueue({ type: 'text', text: 'Default cap.' });
    await createModel(adapter.id, { config, env: testEnv }).generate(asking(16_000), { signal });
    const cap = modelLimitsFor(config, adapter.id).maxOutputTokens;
    expect(sentOutputTokens(server.requests[0])).toBe(Math.min(16_000, cap));
    if (adapter.id.startsWith('openai-compatible:')) expect(cap).toBe(4_096);
  });
});
