import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RecordedRequest, ResponderReply } from '../../llm/testing/index.ts';
import type { EngineEvent } from '../engine-adapter.ts';
import { ofType, parseLines } from '../testing/engine-events.ts';
import { fixtureReader } from '../testing/engine-fixtures.ts';
import { engineTurnRequest } from '../testing/engine-request.ts';
import { useEngineTestKits } from '../testing/engine-test-kit.ts';
import { ledgerUsage, modelUsageOf, usageOfTurns } from '../testing/engine-usage-checks.ts';
import { claudeCodeAdapter, claudeCodeBaseURL, claudeCodeTools } from './claude-code-adapter.ts';
import { createClaudeCodeParser } from './claude-code-stream.ts';

const model = 'claude-sonnet-4-5';

const fixture = fixtureReader(import.meta.url);

function parseAll(lines: readonly string[]): EngineEvent[] {
  return parseLines(createClaudeCodeParser(), lines);
}

/** The events of a run that writes a file with one call and answers with a second. */
const writeThenAnswerTypes = ['session', 'model-turn', 'tool-started', 'tool-ended', 'model-turn', 'final'];

describe('claudeCodeAdapter.launch', () => {
  const request = engineTurnRequest({
    programPath: '/opt/claude',
    prompt: 'Do the task',
    stateDirectory: '/state/agent-1',
    connection: { baseURL: 'http://127.0.0.1:4000/v1', apiKey: 'sk-test' },
    maxTurns: 7,
  });

  it('runs -p with stream-json, raw stream events and only the task tools, each allowed', () => {
    const { argv, environment } = claudeCodeAdapter.launch(request);
    const tools = claudeCodeTools.join(',');
    expect(argv).toEqual([
      '/opt/claude',
      '-p',
      '--output-format',
      'stream-json',
      '--verbose',
      '--include-partial-messages',
      '--permission-mode',
      'acceptEdits',
      '--tools',
      tools,
      '--allowedTools',
      tools,
      '--max-turns',
      '7',
      '--strict-mcp-config',
      '--',
      'Do the task',
    ]);
    expect(tools).not.toMatch(/Web|Task,|Agent|Worktree/);
    expect(environment).toEqual({
      ANTHROPIC_API_KEY: 'sk-test',
      ANTHROPIC_BASE_URL: 'http://127.0.0.1:4000',
      CLAUDE_CONFIG_DIR: '/state/agent-1/claude',
      HOME: '/state/agent-1/home',
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
      DISABLE_AUTOUPDATER: '1',
      DISABLE_TELEMETRY: '1',
      DISABLE_ERROR_REPORTING: '1',
      DISABLE_BUG_COMMAND: '1',
    });
  });

  it('names the model and the session to resume, and leaves the base URL to the program without one', () => {
    const { argv, environment } = claudeCodeAdapter.launch({
      ...request,
      model,
      sessionId: 'b2a6c1f0-0000-4000-8000-000000000001',
      connection: { baseURL: null, apiKey: 'sk-test' },
    });
    expect(argv.slice(-6)).toEqual([
      '--model',
      model,
      '--resume',
      'b2a6c1f0-0000-4000-8000-000000000001',
      '--',
      'Do the task',
    ]);
    expect(environment).not.toHaveProperty('ANTHROPIC_BASE_URL');
  });

  it('passes what is left of the dollar budget as --max-budget-usd', () => {
    const { argv } = claudeCodeAdapter.launch({ ...request, maxBudgetUsd: 0.125 });
    expect(argv.slice(argv.indexOf('--max-budget-usd'), argv.indexOf('--max-budget-usd') + 2)).toEqual([
      '--max-budget-usd',
      '0.1250',
    ]);
  });

  it('strips /v1 (and a trailing slash) from the base URL: the program adds /v1/messages itself', () => {
    expect(claudeCodeBaseURL('http://127.0.0.1:4000/v1')).toBe('http://127.0.0.1:4000');
    expect(claudeCodeBaseURL('https://gateway.example/anthropic/v1/')).toBe(
      'https://gateway.example/anthropic',
    );
    expect(claudeCodeBaseURL('https://api.anthropic.com')).toBe('https://api.anthropic.com');
  });

  it('reads the version the program prints', () => {
    expect(claudeCodeAdapter.parseVersion('2.1.328 (Claude Code)\n')).toBe('2.1.328');
    expect(claudeCodeAdapter.parseVersion('nonsense')).toBeNull();
  });
});

describe('createClaudeCodeParser on recorded output', () => {
  it('makes one model-turn per API call with its exact usage, then the tool, then the final answer', () => {
    const events = parseAll(fixture('write-then-answer.jsonl'));
    expect(events.map((event) => event.type)).toEqual(writeThenAnswerTypes);
    const [session, firstTurn, started, ended, secondTurn, final] = events;
    expect(session).toEqual({
      type: 'session',
      sessionId: '75c82a37-a833-4cb2-9fa7-ee102b6962f5',
      modelId: model,
    });
    const input = { file_path: '/tmp/cadre-workspace-gdzgiy/user/hello.txt', content: 'hello\n' };
    expect(firstTurn).toEqual({
      type: 'model-turn',
      modelId: model,
      text: 'I will write it.',
      toolCalls: [{ id: 'toolu_1', name: 'Write', input }],
      // recorded from a reply of 1200 input (800 cache reads, 300 cache writes) and 42 output tokens
      usage: {
        inputTokens: 1200,
        cachedInputTokens: 800,
        cacheWriteTokens: 300,
        outputTokens: 42,
        reasoningTokens: 0,
      },
    });
    expect(started).toEqual({ type: 'tool-started', id: 'toolu_1', name: 'Write', input });
    expect(ended).toMatchObject({ type: 'tool-ended', id: 'toolu_1', name: 'Write', isError: false });
    expect(ended?.type === 'tool-ended' && ended.output).toMatch(/^File created successfully/);
    expect(secondTurn).toEqual({
      type: 'model-turn',
      modelId: model,
      text: 'Done step 2.',
      toolCalls: [],
      usage: {
        inputTokens: 1500,
        cachedInputTokens: 1100,
        cacheWriteTokens: 100,
        outputTokens: 17,
        reasoningTokens: 0,
      },
    });
    expect(final).toEqual({ type: 'final', text: 'Done step 2.', isError: false, detail: null });
  });

  it('reports a run that hit max turns as an error, with failed tools as errors', () => {
    const events = parseAll(fixture('max-turns.jsonl'));
    expect(ofType(events, 'model-turn')).toHaveLength(2);
    expect(usageOfTurns(events)).toEqual({
      inputTokens: 1800,
      cachedInputTokens: 1000,
      cacheWriteTokens: 0,
      outputTokens: 40,
      reasoningTokens: 0,
    });
    expect(ofType(events, 'tool-ended')).toEqual([
      { type: 'tool-ended', id: 'toolu_1', name: 'Bash', output: 'Exit code 3\nhi', isError: true },
      { type: 'tool-ended', id: 'toolu_2', name: 'Bash', output: 'Exit code 3\nhi', isError: true },
    ]);
    expect(events.at(-1)).toEqual({
      type: 'final',
      text: '',
      isError: true,
      detail: 'error_max_turns: Reached maximum number of turns (2)',
    });
  });

  it('turns a refused API call into a notice and an error final, counting no model turn', () => {
    const events = parseAll(fixture('api-error.jsonl'));
    expect(ofType(events, 'model-turn')).toEqual([]);
    expect(ofType(events, 'notice')).toEqual([
      { type: 'notice', message: expect.stringMatching(/^claude-code: Prompt is too long/) },
    ]);
    expect(events.at(-1)).toMatchObject({
      type: 'final',
      isError: true,
      detail: 'API error 400 (invalid_request_error): prompt_too_long',
    });
  });

  it('keeps a failed tool call and the answer after it', () => {
    const events = parseAll(fixture('tool-error.jsonl'));
    expect(ofType(events, 'tool-ended')).toEqual([
      {
        type: 'tool-ended',
        id: 'toolu_r',
        name: 'Read',
        output: expect.stringMatching(/^File does not exist/),
        isError: true,
      },
    ]);
    expect(events.at(-1)).toEqual({
      type: 'final',
      text: 'Could not read it.',
      isError: false,
      detail: null,
    });
  });

  it('reports API retries as notices and ends without a final when the run was killed', () => {
    const events = parseAll(fixture('api-retry-killed.jsonl'));
    expect(events.map((event) => event.type)).toEqual(['session', 'notice', 'notice', 'notice']);
    expect(events[1]).toEqual({
      type: 'notice',
      message: 'claude-code: API call failed (529: overloaded); retry 1 of 10 in 519 ms',
    });
  });

  it('turns garbage and unknown lines into notices without throwing', () => {
    const parser = createClaudeCodeParser();
    expect(parser.line('Error: something broke')).toEqual([
      { type: 'notice', message: 'Error: something broke' },
    ]);
    expect(parser.line('{"type":"assistant","message":"not an object"}')).toEqual([
      { type: 'notice', message: '{"type":"assistant","message":"not an object"}' },
    ]);
    expect(parser.line('{"type":"rate_limit_event","x":1}')).toEqual([
      { type: 'notice', message: '{"type":"rate_limit_event","x":1}' },
    ]);
    expect(parser.line('[1,2]')).toEqual([{ type: 'notice', message: '[1,2]' }]);
    // stream events outside a message, and unknown ones, say nothing
    expect(parser.line('{"type":"stream_event","event":{"type":"content_block_delta","index":0}}')).toEqual(
      [],
    );
    expect(parser.line('{"type":"stream_event","event":{"type":"ping"}}')).toEqual([]);
    // a shell command's task bookkeeping (recorded) says nothing either
    expect(
      parser.line(
        '{"type":"system","subtype":"task_started","task_id":"bjrhx7891","tool_use_id":"toolu_s","description":"sleep","is_backgrounded":false,"task_type":"local_bash"}',
      ),
    ).toEqual([]);
    expect(parser.end()).toEqual([]);
  });

  it('counts a call cut off mid-stream at the end, and a message that came without stream events', () => {
    const lines = fixture('write-then-answer.jsonl');
    // the recording up to the first call's second text delta: the process died there
    const cut = lines.slice(0, lines.findIndex((line) => line.includes('"rite it."')) + 1);
    const torn = parseAll(cut);
    expect(ofType(torn, 'model-turn')).toEqual([
      {
        type: 'model-turn',
        modelId: model,
        text: 'I will write it.',
        toolCalls: [],
        // output_tokens is message_start's 1: the final count never came
        usage: {
          inputTokens: 1200,
          cachedInputTokens: 800,
          cacheWriteTokens: 300,
          outputTokens: 1,
          reasoningTokens: 0,
        },
      },
    ]);
    // without --include-partial-messages only assistant lines come: their usage is all there is
    const unstreamed = parseAll(lines.filter((line) => !line.includes('"type":"stream_event"')));
    expect(ofType(unstreamed, 'model-turn').map((turn) => [turn.text, turn.toolCalls.length])).toEqual([
      ['I will write it.', 1],
      ['Done step 2.', 0],
    ]);
    expect(unstreamed.map((event) => event.type)).toEqual(writeThenAnswerTypes);
  });
});

/**
 * A responder for Claude Code: requests with tools (the agent's own calls) get `steps` in order, and
 * the rest (titles, summaries, side questions a release may add) a short text, so they never fail.
 */
function scriptedAgent(steps: ((request: RecordedRequest) => ResponderReply)[]) {
  let next = 0;
  const agentRequests: RecordedRequest[] = [];
  const respond = (request: RecordedRequest): ResponderReply => {
    const tools = Array.isArray(request.body.tools) ? request.body.tools : [];
    if (tools.length === 0) return { type: 'text', text: 'ok', usage: { inputTokens: 40, outputTokens: 2 } };
    agentRequests.push(request);
    const step = steps[Math.min(next, steps.length - 1)]!;
    next++;
    return step(request);
  };
  return { respond, agentRequests };
}

describe('claudeCodeAdapter with the real claude program', () => {
  const startKit = useEngineTestKits();

  const writeUsage = { inputTokens: 2400, cachedInputTokens: 1800, cacheWriteTokens: 500, outputTokens: 64 };
  const answerUsage = { inputTokens: 2600, cachedInputTokens: 2300, cacheWriteTokens: 120, outputTokens: 23 };

  it('writes a file through its Write tool, in the sandbox, with every call counted exactly', async () => {
    const agent = scriptedAgent([
      () => ({
        type: 'tool-calls',
        text: 'Creating the notes file.',
        toolCalls: [
          {
            id: 'toolu_write_1',
            name: 'Write',
            arguments: { file_path: join(kit.repo.userRepo, 'notes.txt'), content: 'from claude\n' },
          },
        ],
        usage: writeUsage,
      }),
      () => ({ type: 'text', text: 'Wrote notes.txt.', usage: answerUsage }),
    ]);
    const kit = await startKit(claudeCodeAdapter, agent.respond);
    // a prompt that starts with "-" (a briefing's list) must not be read as an option
    const prompt = '- create notes.txt\n- say so';
    const { end, events } = await kit.run({ prompt, model, maxTurns: 5 });

    expect(end).toMatchObject({ type: 'ran', end: { type: 'exited', exitCode: 0 }, sandboxed: true });
    expect(readFileSync(join(kit.repo.userRepo, 'notes.txt'), 'utf8')).toBe('from claude\n');
    const kinds = events.map((event) => event.type).filter((type) => type !== 'notice');
    expect(kinds).toEqual(writeThenAnswerTypes);
    expect(ofType(events, 'session')[0]).toMatchObject({ modelId: model });
    expect(ofType(events, 'tool-started')[0]).toMatchObject({ id: 'toolu_write_1', name: 'Write' });
    expect(ofType(events, 'tool-ended')[0]).toMatchObject({
      id: 'toolu_write_1',
      name: 'Write',
      isError: false,
    });
    expect(ofType(events, 'model-turn').map((turn) => turn.usage)).toEqual([
      modelUsageOf(writeUsage),
      modelUsageOf(answerUsage),
    ]);
    expect(ofType(events, 'final')).toEqual([
      { type: 'final', text: 'Wrote notes.txt.', isError: false, detail: null },
    ]);
    // what the server served, side requests included, is what the events count
    expect(usageOfTurns(events)).toEqual(ledgerUsage(kit));
    // every call went to the model asked for, through the sandbox's proxy (its only way out)
    expect(kit.server.requests.every((request) => request.path === '/v1/messages')).toBe(true);
    expect(agent.agentRequests.map((request) => request.body.model)).toEqual([model, model]);
    expect(JSON.stringify(agent.agentRequests[0]?.body.messages)).toContain(JSON.stringify(prompt));
    expect(end.type === 'ran' && end.sessionId).toBe(ofType(events, 'session')[0]?.sessionId);
  }, 120_000);

  it('resumes the session in a later run, even after the first was killed mid-call', async () => {
    let hang = true;
    const agent = scriptedAgent([
      () => ({
        type: 'tool-calls',
        toolCalls: [
          {
            id: 'toolu_write_a',
            name: 'Write',
            arguments: { file_path: join(kit.repo.userRepo, 'a.txt'), content: 'A\n' },
          },
        ],
        usage: writeUsage,
      }),
      // the first run's next call never answers: it is killed there, as a steer or pause kills it
      () =>
        hang ? { type: 'hang' } : { type: 'text', text: 'Resumed: a.txt is there.', usage: answerUsage },
    ]);
    const kit = await startKit(claudeCodeAdapter, agent.respond);
    const controller = new AbortController();
    const first = await kit.run({
      prompt: 'Create a.txt',
      model,
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type === 'tool-ended') setTimeout(() => controller.abort(), 300);
      },
    });
    expect(first.end).toMatchObject({ type: 'ran', end: { type: 'aborted' } });
    expect(existsSync(join(kit.repo.userRepo, 'a.txt'))).toBe(true);
    const sessionId = first.end.type === 'ran' ? first.end.sessionId : null;
    expect(sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(ofType(first.events, 'final')).toEqual([]);

    hang = false;
    const before = agent.agentRequests.length;
    const second = await kit.run({ prompt: 'Check a.txt and say so', sessionId, model });
    expect(second.end).toMatchObject({ type: 'ran', end: { type: 'exited', exitCode: 0 }, sessionId });
    expect(ofType(second.events, 'session')).toEqual([{ type: 'session', sessionId, modelId: model }]);
    expect(ofType(second.events, 'final')).toEqual([
      { type: 'final', text: 'Resumed: a.txt is there.', isError: false, detail: null },
    ]);
    // the resumed call carries the whole earlier conversation, then the new prompt
    const resumed = agent.agentRequests[before]!;
    const conversation = JSON.stringify(resumed.body.messages);
    expect(conversation).toContain('Create a.txt');
    expect(conversation).toContain('"id":"toolu_write_a"');
    expect(conversation).toContain('"tool_use_id":"toolu_write_a"');
    expect(conversation.indexOf('Check a.txt and say so')).toBeGreaterThan(
      conversation.indexOf('toolu_write_a'),
    );
  }, 180_000);
});
