import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { RecordedRequest, Responder, ScriptedToolCall } from '../../llm/testing/index.ts';
import type { EngineEvent } from '../engine-adapter.ts';
import type { EngineProcessEnd } from '../run-engine-process.ts';
import { ofType } from './engine-events.ts';
import type { EngineTestKit } from './engine-test-kit.ts';
import { ledgerUsage, usageOfTurns } from './engine-usage-checks.ts';

/**
 * The replies of the run every real-program test starts with: `toolCall` (which writes made.txt and
 * the command's environment), then, once `sawToolResult` says its result came back, the answer. The
 * usage is fixed, so that the ledger comparison checks the same counts for every engine.
 */
export function writeMadeFileReplies(
  toolCall: ScriptedToolCall,
  sawToolResult: (request: RecordedRequest) => boolean,
): Responder {
  return (request) => {
    if (sawToolResult(request))
      return {
        type: 'text',
        text: 'Wrote made.txt.',
        usage: { inputTokens: 1300, cachedInputTokens: 1200, outputTokens: 9, reasoningTokens: 4 },
      };
    return {
      type: 'tool-calls',
      text: 'Writing it now.',
      toolCalls: [toolCall],
      usage: { inputTokens: 1000, cachedInputTokens: 600, outputTokens: 40, reasoningTokens: 25 },
    };
  };
}

/**
 * Checks a run answered by writeMadeFileReplies: it ran sandboxed and wrote `content` through the tool
 * `toolName`, ended with the answer, counted exactly the two calls served, and kept the key from the command.
 */
export function expectMadeFileRun(
  kit: EngineTestKit,
  run: { end: EngineProcessEnd; events: EngineEvent[] },
  expected: { content: string; toolName: string },
): void {
  const { end, events } = run;
  expect(end).toMatchObject({ type: 'ran', sandboxed: true, end: { type: 'exited', exitCode: 0 } });
  expect(readFileSync(join(kit.repo.userRepo, 'made.txt'), 'utf8')).toBe(expected.content);
  const types = new Set(events.map((event) => event.type));
  for (const type of ['session', 'model-turn', 'tool-started', 'tool-ended', 'final'] as const)
    expect(types.has(type)).toBe(true);
  expect(ofType(events, 'tool-ended')[0]).toMatchObject({ name: expected.toolName, isError: false });
  expect(ofType(events, 'final').at(-1)).toEqual({
    type: 'final',
    text: 'Wrote made.txt.',
    isError: false,
    detail: null,
  });
  expect(kit.server.ledger).toHaveLength(2);
  expect(usageOfTurns(events)).toEqual(ledgerUsage(kit));
  // the key reaches the program (the server saw it), not the commands it runs
  expect(kit.server.requests[0]?.headers.authorization).toBe('Bearer sk-cadre-test');
  expect(readFileSync(join(kit.repo.userRepo, 'command-env.txt'), 'utf8')).not.toContain('sk-cadre-test');
}

/**
 * The replies of the resume tests: 'Second answer.' once `lastSaid` (the request's newest input, as
 * JSON) mentions the second message, 'First answer.' before, each with its own usage to count once.
 */
export function firstThenSecondReplies(lastSaid: (request: RecordedRequest) => string): Responder {
  return (request) => {
    if (lastSaid(request).includes('second message'))
      return {
        type: 'text',
        text: 'Second answer.',
        usage: { inputTokens: 900, cachedInputTokens: 700, outputTokens: 11 },
      };
    return { type: 'text', text: 'First answer.', usage: { inputTokens: 800, outputTokens: 13 } };
  };
}
