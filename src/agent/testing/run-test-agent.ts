import { z } from 'zod';
import type { Model } from '../../llm/index.ts';
import type { AgentEvent } from '../agent-events.ts';
import { type AgentLoopOptions, type AgentResult, runAgentLoop } from '../agent-loop.ts';
import { createTokenCounter, type TokenCounter } from '../context/token-counter.ts';
import { defineTool, type Tool } from '../define-tool.ts';
import { createTestToolContext } from './test-tool-context.ts';

/** What a test agent run gives back: the result and every event, in order. */
export interface TestAgentRun {
  result: AgentResult;
  events: AgentEvent[];
}

// Building the encoder is the slow part of a counter; one per test process is plenty.
let sharedCounter: TokenCounter | null = null;

/** One token counter for all tests of a process. */
export function testTokenCounter(): TokenCounter {
  sharedCounter ??= createTokenCounter();
  return sharedCounter;
}

/** `note`: returns its text (or `size` characters of filler), for trajectories that need tool output. */
export function createNoteTool(): Tool {
  return defineTool({
    name: 'note',
    description: 'Returns the text it is given, or `size` characters of filler.',
    inputSchema: z.object({ text: z.string().default(''), size: z.int().min(0).default(0) }),
    async execute(input) {
      const filler = Array.from({ length: input.size }, (_, index) => `w${index % 97} `).join('');
      return { output: input.text + filler.slice(0, input.size), details: null };
    },
  });
}

/** Runs the loop with a test tool context, the note tool and the shared counter unless told otherwise. */
export async function runTestAgent(
  model: Model,
  options: Partial<Omit<AgentLoopOptions, 'model'>> = {},
): Promise<TestAgentRun> {
  const events: AgentEvent[] = [];
  const result = await runAgentLoop({
    tools: [createNoteTool()],
    toolContext: createTestToolContext(),
    task: 'Do the test task.',
    tokenCounter: testTokenCounter(),
    inboxPollIntervalMs: 20,
    ...options,
    model,
    onEvent: async (event) => {
      events.push(event);
      await options.onEvent?.(event);
    },
  });
  return { result, events };
}
