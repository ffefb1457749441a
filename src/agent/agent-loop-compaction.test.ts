import { describe, expect, it } from 'vitest';
import type { ModelRequest } from '../llm/index.ts';
import { createScriptedModel, type ScriptedStep } from '../llm/testing/index.ts';
import { summaryPrefix } from './context/summarize-history.ts';
import { runTestAgent, testTokenCounter } from './testing/run-test-agent.ts';

describe('a long trajectory', () => {
  it('stays under the window through masking and summaries', async () => {
    const counter = testTokenCounter();
    const windowTokens = 6_000;
    const isSummary = (request: ModelRequest) => request.toolChoice === 'none';
    let steps = 0;
    // The fake provider reports the input tokens it was sent, as real ones do.
    const respond: ScriptedStep = (request) => {
      const usage = { inputTokens: counter.countRequest(request), outputTokens: 40 };
      if (isSummary(request))
        return { type: 'text', text: `Read the notes of ${steps} steps so far.`, usage };
      steps += 1;
      if (steps > 40) return { type: 'text', text: 'done', usage };
      return {
        type: 'tool-calls',
        text: `step ${steps}: ${'thinking about it '.repeat(60)}`,
        toolCalls: [{ name: 'note', input: { text: `n${steps}`, size: 1_500 } }],
        usage,
      };
    };
    const model = createScriptedModel(Array.from({ length: 200 }, () => respond));
    const { result, events } = await runTestAgent(model, {
      context: { windowTokens, reservedOutputTokens: 1_000, keepRecentToolResults: 2 },
    });

    expect(result.reason).toEqual({ type: 'completed', text: 'done' });
    expect(result.totals.steps).toBe(41);
    const sizes = model.requests.map((request) => counter.countRequest(request));
    expect(Math.max(...sizes)).toBeLessThanOrEqual(windowTokens - 1_000);
    for (const request of model.requests) expect(request.maxOutputTokens).toBe(1_000);

    const compactions = events.flatMap((event) => (event.type === 'compaction' ? [event] : []));
    expect(compactions.some((event) => event.strategy === 'mask-tool-outputs')).toBe(true);
    expect(compactions.some((event) => event.strategy === 'summarize')).toBe(true);
    for (const compaction of compactions)
      expect(compaction.tokensAfter).toBeLessThan(compaction.tokensBefore);
    // Summaries are model calls too, metered like steps but not counted as steps.
    const summaries = events.filter(
      (event) => event.type === 'model-call-ended' && event.purpose === 'summary',
    );
    expect(summaries.length).toBe(compactions.filter((event) => event.strategy === 'summarize').length);
    expect(result.totals.usage.outputTokens).toBe(40 * (41 + summaries.length));

    const last = model.requests.at(-1)!;
    expect(last.messages[0]).toEqual({ role: 'user', content: 'Do the test task.' });
    expect(last.messages[1]).toMatchObject({ role: 'user', content: expect.stringContaining(summaryPrefix) });
  });
});
