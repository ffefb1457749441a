import type { LanguageModelV3StreamPart } from '@ai-sdk/provider';
import { MockLanguageModelV3, simulateReadableStream } from 'ai/test';
import { describe, expect, it } from 'vitest';
import { createLanguageModelAdapter } from './language-model-adapter.ts';

const usage = {
  inputTokens: { total: 10, noCache: 10, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: 2, text: 2, reasoning: 0 },
};
const request = { messages: [{ role: 'user' as const, content: 'hi' }] };
const signal = new AbortController().signal;

function streaming(parts: LanguageModelV3StreamPart[]) {
  return createLanguageModelAdapter({
    id: 'openai:mock',
    languageModel: new MockLanguageModelV3({
      doStream: { stream: simulateReadableStream({ chunks: parts }) },
    }),
  });
}

describe('language model adapter', () => {
  it('calls a stream that ends without a finish part torn', async () => {
    const model = streaming([{ type: 'text-delta', id: '1', delta: 'half' }]);
    await expect(model.generate(request, { signal })).rejects.toMatchObject({
      type: 'stream-torn',
      retryable: true,
    });
  });

  it('classifies error parts inside the stream', async () => {
    const model = streaming([{ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }]);
    await expect(model.generate(request, { signal })).rejects.toMatchObject({
      type: 'server',
      modelId: 'openai:mock',
    });
  });

  it('passes a throwing text listener through untouched, since the bug is the caller', async () => {
    const model = streaming([
      { type: 'text-delta', id: '1', delta: 'x' },
      { type: 'finish', usage, finishReason: { unified: 'stop', raw: 'stop' } },
    ]);
    const bug = new RangeError('listener bug');
    const failure = model.generate(request, {
      signal,
      onTextDelta: () => {
        throw bug;
      },
    });
    await expect(failure).rejects.toBe(bug);
  });

  it('sends system prompt, tools and tool choice in AI SDK form', async () => {
    const languageModel = new MockLanguageModelV3({
      doGenerate: {
        content: [{ type: 'text', text: 'ok' }],
        finishReason: { unified: 'stop', raw: 'stop' },
        usage,
        warnings: [],
      },
    });
    const model = createLanguageModelAdapter({ id: 'anthropic:mock', languageModel, transport: 'generate' });
    const tool = { name: 'grep', description: 'search', inputSchema: { type: 'object' } };
    const response = await model.generate(
      {
        system: 'rules',
        messages: request.messages,
        tools: [tool],
        toolChoice: 'required',
        maxOutputTokens: 50,
      },
      { signal },
    );
    expect(response).toMatchObject({ text: 'ok', usage: { inputTokens: 10, outputTokens: 2 } });
    const call = languageModel.doGenerateCalls[0];
    expect(call?.prompt[0]).toEqual({ role: 'system', content: 'rules' });
    expect(call?.tools).toEqual([{ type: 'function', ...tool }]);
    expect(call?.toolChoice).toEqual({ type: 'required' });
    expect(call?.maxOutputTokens).toBe(50);
  });
});
