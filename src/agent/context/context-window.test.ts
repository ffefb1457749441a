import { describe, expect, it } from 'vitest';
import type { ModelMessage, ModelRequest } from '../../llm/index.ts';
import { emptyUsage } from '../../llm/index.ts';
import { testTokenCounter } from '../testing/run-test-agent.ts';
import { ContextSettings } from './context-settings.ts';
import { type Compaction, createContextWindow } from './context-window.ts';
import { maskedOutputPrefix, maskToolOutputs } from './mask-tool-outputs.ts';
import { summaryPrefix, summarySplitIndex } from './summarize-history.ts';

const counter = testTokenCounter();
const filler = (words: number) => Array.from({ length: words }, (_, index) => `word${index % 50}`).join(' ');

function step(index: number, outputWords: number, textWords = 0): ModelMessage[] {
  return [
    {
      role: 'assistant',
      content: `step ${index} ${filler(textWords)}`.trim(),
      toolCalls: [
        {
          id: `c${index}`,
          name: 'read_file',
          input: { path: `f${index}` },
          rawInput: `{"path":"f${index}"}`,
          inputError: null,
        },
      ],
    },
    {
      role: 'tool',
      results: [
        { toolCallId: `c${index}`, toolName: 'read_file', output: filler(outputWords), isError: false },
      ],
    },
  ];
}

function conversation(steps: number, outputWords: number, textWords = 0): ModelMessage[] {
  return [
    { role: 'user', content: 'the task' },
    ...Array.from({ length: steps }, (_, index) => step(index, outputWords, textWords)).flat(),
  ];
}

const outputs = (messages: ModelMessage[]) =>
  messages.flatMap((message) =>
    message.role === 'tool' ? message.results.map((result) => result.output) : [],
  );

describe('maskToolOutputs', () => {
  it('replaces all but the newest outputs with placeholders, once', () => {
    const messages = conversation(5, 50);
    const first = maskToolOutputs(messages, 2, counter);
    expect(first.maskedCount).toBe(3);
    const masked = outputs(first.messages);
    expect(masked.slice(0, 3).every((output) => output.startsWith(maskedOutputPrefix))).toBe(true);
    expect(masked[0]).toContain('read_file');
    expect(masked.slice(3)).toEqual(outputs(messages).slice(3));
    expect(maskToolOutputs(first.messages, 2, counter).maskedCount).toBe(0);
    // The input is left alone.
    expect(outputs(messages)[0]).toBe(filler(50));
  });
});

describe('summarySplitIndex', () => {
  it('never separates a tool result from its call', () => {
    const messages = conversation(6, 100);
    for (const keep of [0, 50, 150, 400, 800, 5_000]) {
      const split = summarySplitIndex(messages, keep, counter);
      expect(split).toBeGreaterThanOrEqual(1);
      if (split < messages.length) expect(messages[split]?.role).not.toBe('tool');
    }
  });
});

describe('createContextWindow', () => {
  const settings = ContextSettings.parse({
    windowTokens: 4_000,
    reservedOutputTokens: 500,
    keepRecentToolResults: 1,
  });
  const request = (messages: ModelMessage[]): ModelRequest => ({ system: 'sys', messages });
  const noSummary = async () => {
    throw new Error('no summary expected');
  };

  it('leaves a small request alone', async () => {
    const window = createContextWindow(settings, counter);
    const compactions: Compaction[] = [];
    const fitted = await window.fit(request(conversation(2, 20)), {
      summarize: noSummary,
      onCompaction: async (compaction) => void compactions.push(compaction),
    });
    expect(fitted.type).toBe('fits');
    expect(compactions).toEqual([]);
  });

  it('masks old tool outputs above the first threshold', async () => {
    const window = createContextWindow(settings, counter);
    const compactions: Compaction[] = [];
    const original = request(conversation(4, 300));
    expect(counter.countRequest(original)).toBeGreaterThan(2_000);
    const fitted = await window.fit(original, {
      summarize: noSummary,
      onCompaction: async (compaction) => void compactions.push(compaction),
    });
    expect(compactions).toHaveLength(1);
    expect(compactions[0]).toMatchObject({ strategy: 'mask-tool-outputs', messagesAffected: 3 });
    expect(compactions[0]!.tokensAfter).toBeLessThan(compactions[0]!.tokensBefore);
    expect(fitted.type === 'fits' && fitted.tokens).toBe(compactions[0]!.tokensAfter);
  });

  it('summarizes the older part above the second threshold, keeping the task and the newest step', async () => {
    const window = createContextWindow(settings, counter);
    const compactions: Compaction[] = [];
    const summaryRequests: ModelRequest[] = [];
    const fitted = await window.fit(request(conversation(12, 200, 150)), {
      summarize: async (summaryRequest) => {
        summaryRequests.push(summaryRequest);
        return 'They read twelve files.';
      },
      onCompaction: async (compaction) => void compactions.push(compaction),
    });
    expect(compactions.map((compaction) => compaction.strategy)).toEqual(['mask-tool-outputs', 'summarize']);
    expect(
      summaryRequests[0]?.messages[0]?.role === 'user' && summaryRequests[0].messages[0].content,
    ).toContain('step 0');
    if (fitted.type !== 'fits') throw new Error('expected the request to fit');
    expect(fitted.request.messages[0]).toEqual({ role: 'user', content: 'the task' });
    expect(fitted.request.messages[1]).toEqual({
      role: 'user',
      content: `${summaryPrefix}\nThey read twelve files.`,
    });
    expect(fitted.request.messages.at(-2)).toMatchObject({
      role: 'assistant',
      content: expect.stringMatching(/^step 11 /),
    });
    expect(fitted.tokens).toBeLessThan(settings.windowTokens * settings.maskAtFraction);
  });

  it('trusts the usage the provider reported for the prefix it saw', async () => {
    const window = createContextWindow(settings, counter);
    const sent = request(conversation(6, 5, 60));
    expect(window.estimate(sent)).toBe(counter.countRequest(sent));
    window.recordUsage(sent, { ...emptyUsage(), inputTokens: 2_900 });
    const next = request([...sent.messages, ...step(6, 5, 60)]);
    const added = next.messages
      .slice(sent.messages.length)
      .reduce((sum, message) => sum + counter.countMessage(message), 0);
    expect(window.estimate(next)).toBe(2_900 + added);
    // Over the summary threshold by the provider's count, though tiny by ours: the summary follows.
    const compactions: Compaction[] = [];
    await window.fit(next, {
      summarize: async () => 'short',
      onCompaction: async (compaction) => void compactions.push(compaction),
    });
    expect(compactions.map((compaction) => compaction.strategy)).toEqual(['summarize']);
    // An under-reporting provider does not lower the estimate below our own count.
    window.recordUsage(next, { ...emptyUsage(), inputTokens: 1 });
    expect(window.estimate(next)).toBe(counter.countRequest(next));
  });

  it('says so when even the newest messages cannot fit', async () => {
    const window = createContextWindow(settings, counter);
    const fitted = await window.fit(request([{ role: 'user', content: filler(5_000) }]), {
      summarize: noSummary,
      onCompaction: async () => {},
    });
    expect(fitted).toMatchObject({ type: 'too-large', limit: 3_500 });
  });
});
