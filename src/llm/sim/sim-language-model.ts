import { createHash } from 'node:crypto';
import {
  APICallError,
  type LanguageModelV3,
  type LanguageModelV3CallOptions,
  type LanguageModelV3Content,
  type LanguageModelV3StreamPart,
  type LanguageModelV3Usage,
} from '@ai-sdk/provider';
import type { SimSettings } from '../../protocol/index.ts';
import { sleep as realSleep, type Sleep } from '../abortable.ts';
import { createSeededRandom, hashSeed } from './seeded-random.ts';
import { drawFault, drawLatency, type SimFault } from './sim-faults.ts';
import type { SimPolicy, SimTool, SimTurn } from './sim-policy.ts';

/** What a sim model is made of. */
export interface SimLanguageModelOptions {
  policy: SimPolicy;
  settings: SimSettings;
  /** Injected so tests and the coordination lab control simulated time. */
  sleep?: Sleep;
}

/** Every text a sim model produces starts with this, so nobody mistakes it for a real model. */
export const simLabel = '[simulated]';

interface SimOutcome {
  fault: SimFault;
  content: LanguageModelV3Content[];
  usage: LanguageModelV3Usage;
}

function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

function simError(statusCode: number, message: string, headers: Record<string, string> = {}): APICallError {
  return new APICallError({
    message: `${simLabel} ${message}`,
    url: 'sim://cadre',
    requestBodyValues: {},
    statusCode,
    responseHeaders: headers,
    responseBody: JSON.stringify({ error: { message: `${simLabel} ${message}` } }),
  });
}

function waitForAbort(signal: AbortSignal | undefined): Promise<never> {
  return new Promise((_resolve, reject) => {
    if (signal === undefined) return;
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

function toContent(turn: SimTurn, fault: SimFault, callPrefix: string): LanguageModelV3Content[] {
  const text = turn.type === 'text' ? turn.text : (turn.text ?? '');
  const content: LanguageModelV3Content[] = [{ type: 'text', text: `${simLabel} ${text}`.trimEnd() }];
  if (turn.type === 'tool-calls') {
    turn.toolCalls.forEach((call, index) => {
      const input = JSON.stringify(call.input ?? {});
      // A malformed call cuts the JSON short, the way a model that ran out of tokens would.
      const broken =
        fault === 'malformed-tool-call' && index === 0
          ? input.slice(0, Math.max(1, input.length - 2))
          : input;
      content.push({
        type: 'tool-call',
        toolCallId: `${callPrefix}-${index + 1}`,
        toolName: call.name,
        input: broken,
      });
    });
  }
  return content;
}

/**
 * A deterministic, seeded LanguageModelV3 that follows a policy, waits a simulated latency and injects
 * faults at configured rates; identical conversations give identical outcomes, retries draw afresh.
 */
export function createSimLanguageModel(options: SimLanguageModelOptions): LanguageModelV3 {
  const sleep = options.sleep ?? realSleep;
  // attempts per conversation, keyed by a digest: keying by the prompt itself kept every prompt of
  // every agent alive (a long planner's conversations grew the heap by gigabytes)
  const seen = new Map<string, number>();
  let calls = 0;

  async function decide(callOptions: LanguageModelV3CallOptions): Promise<SimOutcome> {
    const signal = callOptions.abortSignal ?? new AbortController().signal;
    const key = JSON.stringify(callOptions.prompt);
    const digest = createHash('sha256').update(key).digest('base64');
    const attempt = seen.get(digest) ?? 0;
    if (seen.size >= 100_000) seen.clear();
    seen.set(digest, attempt + 1);
    calls += 1;
    // the digest stands for the whole prompt: hashing it again character by character cost more than the policy
    const random = createSeededRandom(
      hashSeed(options.settings.seed, `${options.policy.name}\n${attempt}\n${digest}`),
    );
    const fault = drawFault(options.settings.faults, random);
    const latencyMs = drawLatency(options.settings.latency, random);
    await sleep(latencyMs, signal);
    if (fault === 'rate-limit') {
      const seconds = String(options.settings.retryAfterSeconds);
      throw simError(429, 'rate limit injected by the simulation', { 'retry-after': seconds });
    }
    if (fault === 'server-error') throw simError(500, 'server error injected by the simulation');
    if (fault === 'hang') await waitForAbort(signal);
    const tools: SimTool[] = (callOptions.tools ?? []).flatMap((tool) =>
      tool.type === 'function'
        ? [
            {
              name: tool.name,
              description: tool.description ?? '',
              inputSchema: tool.inputSchema as Record<string, unknown>,
            },
          ]
        : [],
    );
    const system = callOptions.prompt
      .flatMap((message) => (message.role === 'system' ? [message.content] : []))
      .join('\n');
    const messages = callOptions.prompt.filter((message) => message.role !== 'system');
    const step = messages.filter((message) => message.role === 'assistant').length;
    const turn = await options.policy.respond({ system, messages, tools, random, step, latencyMs, signal });
    const content = toContent(turn, fault, `sim-call-${calls}`);
    const inputTokens = estimateTokens(key);
    const cached = step > 0 ? Math.floor(inputTokens * 0.6) : 0;
    const outputTokens = estimateTokens(JSON.stringify(content));
    return {
      fault,
      content,
      usage: {
        inputTokens: { total: inputTokens, noCache: inputTokens - cached, cacheRead: cached, cacheWrite: 0 },
        outputTokens: { total: outputTokens, text: outputTokens, reasoning: 0 },
      },
    };
  }

  function finishReason(content: LanguageModelV3Content[]) {
    const hasCalls = content.some((part) => part.type === 'tool-call');
    return hasCalls
      ? { unified: 'tool-calls' as const, raw: 'tool_calls' }
      : { unified: 'stop' as const, raw: 'stop' };
  }

  const modelId = `sim:${options.policy.name}`;
  return {
    specificationVersion: 'v3',
    provider: 'cadre.sim',
    modelId,
    supportedUrls: {},
    async doGenerate(callOptions) {
      const outcome = await decide(callOptions);
      if (outcome.fault === 'torn-stream') throw new Error(`${simLabel} connection reset by the simulation`);
      return {
        content: outcome.content,
        finishReason: finishReason(outcome.content),
        usage: outcome.usage,
        response: { modelId },
        warnings: [],
      };
    },
    async doStream(callOptions) {
      const outcome = await decide(callOptions);
      const parts: LanguageModelV3StreamPart[] = [
        { type: 'stream-start', warnings: [] },
        { type: 'response-metadata', modelId },
      ];
      for (const part of outcome.content) {
        if (part.type === 'text') {
          parts.push({ type: 'text-start', id: 'text-1' });
          for (const word of part.text.match(/\S+\s*/g) ?? [])
            parts.push({ type: 'text-delta', id: 'text-1', delta: word });
          parts.push({ type: 'text-end', id: 'text-1' });
        } else {
          parts.push(part as LanguageModelV3StreamPart);
        }
      }
      parts.push({ type: 'finish', usage: outcome.usage, finishReason: finishReason(outcome.content) });
      // A torn stream delivers about half of its parts and then fails like a dropped connection.
      const cut = outcome.fault === 'torn-stream' ? Math.max(3, Math.floor(parts.length / 2)) : parts.length;
      let index = 0;
      const stream = new ReadableStream<LanguageModelV3StreamPart>({
        pull(controller) {
          if (index < cut && index < parts.length) {
            controller.enqueue(parts[index++]!);
          } else if (outcome.fault === 'torn-stream') {
            controller.error(new TypeError(`${simLabel} terminated: connection closed mid-stream`));
          } else {
            controller.close();
          }
        },
      });
      return { stream };
    },
  };
}
