import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyUsage } from '../../llm/index.ts';
import type { ResponderReply } from '../../llm/testing/index.ts';
import type { EngineEvent } from '../engine-adapter.ts';
import { ofType, parseLines } from '../testing/engine-events.ts';
import { fixtureReader } from '../testing/engine-fixtures.ts';
import { engineTurnRequest } from '../testing/engine-request.ts';
import { useEngineTestKits } from '../testing/engine-test-kit.ts';
import { ledgerUsage, usageOfTurns } from '../testing/engine-usage-checks.ts';
import { lastItem } from '../testing/recorded-requests.ts';
import { useTempStateDirectory } from '../testing/temp-state-directory.ts';
import {
  expectMadeFileRun,
  firstThenSecondReplies,
  writeMadeFileReplies,
} from '../testing/write-file-run.ts';
import { codexAdapter, readCodexThreadUsage } from './codex-adapter.ts';
import { codexDefaultModelId, createCodexParser } from './codex-stream.ts';

// Recorded from codex-cli 0.169.0 (`codex exec --json`) against the protocol server.
const fixture = fixtureReader(import.meta.url);

function parseAll(lines: readonly string[], parser = createCodexParser({ model: 'gpt-5.2' })): EngineEvent[] {
  return parseLines(parser, lines);
}

const request = engineTurnRequest({ programPath: '/opt/codex/bin/codex', model: 'gpt-5.2' });

describe('codexAdapter: version and launch', () => {
  const stateDirectory = useTempStateDirectory('cadre-codex-launch-');

  it('reads the version codex prints', () => {
    expect(codexAdapter.parseVersion('codex-cli 0.169.0\n')).toBe('0.169.0');
    expect(codexAdapter.parseVersion('codex-cli 0.170.0-alpha.2')).toBe('0.170.0-alpha.2');
    expect(codexAdapter.parseVersion('command not found')).toBeNull();
  });

  it('starts a new session with its own provider, its key only, and the prompt after --', () => {
    const launch = codexAdapter.launch({ ...request, stateDirectory: stateDirectory() });
    expect(launch.argv.slice(0, 3)).toEqual(['/opt/codex/bin/codex', 'exec', '--json']);
    expect(launch.argv).toContain('--dangerously-bypass-approvals-and-sandbox');
    expect(launch.argv).not.toContain('resume');
    expect(launch.argv.slice(-2)).toEqual(['--', '-starts with a dash']);
    expect(launch.argv.join(' ')).toContain('--cd /work/tree');
    expect(launch.argv.join(' ')).toContain('--model gpt-5.2');
    expect(launch.argv).toContain(
      'model_providers.cadre={ name = "cadre", base_url = "http://127.0.0.1:9999/v1", env_key = "OPENAI_API_KEY", wire_api = "responses" }',
    );
    expect(launch.environment).toEqual({
      CODEX_HOME: join(stateDirectory(), 'codex'),
      OPENAI_API_KEY: 'sk-test',
    });
    // codex refuses a CODEX_HOME that does not exist
    expect(existsSync(join(stateDirectory(), 'codex'))).toBe(true);
  });

  it('resumes a thread by id, and uses OpenAI itself and codex’s model when none is set', () => {
    const launch = codexAdapter.launch({
      ...request,
      stateDirectory: stateDirectory(),
      sessionId: '01a227ae-d578-7251-931f-cf2517e2bc2b',
      model: null,
      connection: { baseURL: null, apiKey: 'sk-test' },
    });
    expect(launch.argv.slice(-4)).toEqual([
      'resume',
      '01a227ae-d578-7251-931f-cf2517e2bc2b',
      '--',
      '-starts with a dash',
    ]);
    expect(launch.argv).not.toContain('--model');
    expect(launch.argv.join(' ')).toContain('base_url = "https://api.openai.com/v1"');
  });
});

describe('createCodexParser on recorded output', () => {
  it('maps a run that runs a command: session, tool start and end, one model turn, final', () => {
    const events = parseAll(fixture('write-file.jsonl'));
    expect(events.map((event) => event.type)).toEqual([
      'session',
      'notice',
      'tool-started',
      'tool-ended',
      'model-turn',
      'final',
    ]);
    expect(events[0]).toEqual({
      type: 'session',
      sessionId: '01a227bc-88e2-7f73-8b2f-97158be7e172',
      modelId: 'gpt-5.2',
    });
    expect(events[1]).toMatchObject({ type: 'notice', message: expect.stringContaining('Model metadata') });
    const command = `/bin/bash -lc "printf 'made by codex\\\\n' > made.txt && echo ok"`;
    expect(events[2]).toEqual({
      type: 'tool-started',
      id: 'item_2',
      name: 'command_execution',
      input: { command },
    });
    expect(events[3]).toEqual({
      type: 'tool-ended',
      id: 'item_2',
      name: 'command_execution',
      output: 'ok\n',
      isError: false,
    });
    expect(events[4]).toEqual({
      type: 'model-turn',
      modelId: 'gpt-5.2',
      text: 'Writing it now.\n\nWrote the file.',
      toolCalls: [{ id: 'item_2', name: 'command_execution', input: { command } }],
      usage: {
        inputTokens: 550,
        cachedInputTokens: 300,
        cacheWriteTokens: 0,
        outputTokens: 39,
        reasoningTokens: 15,
      },
    });
    expect(events[5]).toEqual({ type: 'final', text: 'Wrote the file.', isError: false, detail: null });
  });

  it('counts a resumed run’s usage as codex’s running totals minus the thread’s totals before it', () => {
    const baseline = {
      inputTokens: 550,
      cachedInputTokens: 300,
      cacheWriteTokens: 0,
      outputTokens: 39,
      reasoningTokens: 15,
    };
    const events = parseAll(fixture('resumed.jsonl'), createCodexParser({ model: null, baseline }));
    const [turn] = ofType(events, 'model-turn');
    expect(turn?.usage).toEqual({
      inputTokens: 120,
      cachedInputTokens: 40,
      cacheWriteTokens: 0,
      outputTokens: 17,
      reasoningTokens: 5,
    });
    expect(turn?.modelId).toBe(codexDefaultModelId);
    expect(ofType(events, 'session')[0]?.modelId).toBeNull();
  });

  it('maps file changes (apply_patch) to a tool start and end', () => {
    const events = parseAll(fixture('file-change.jsonl'));
    const input = { changes: [{ path: '/tmp/cx/work/patched.txt', kind: 'add' }] };
    expect(ofType(events, 'tool-started')).toEqual([
      { type: 'tool-started', id: 'item_1', name: 'file_change', input },
    ]);
    expect(ofType(events, 'tool-ended')).toEqual([
      {
        type: 'tool-ended',
        id: 'item_1',
        name: 'file_change',
        output: 'add /tmp/cx/work/patched.txt',
        isError: false,
      },
    ]);
  });

  it('makes a failed turn a failed final with codex’s reason, and garbage a notice', () => {
    const events = parseAll([
      'Reading additional input from stdin...',
      '{"type":"mystery"}',
      ...fixture('turn-failed.jsonl'),
    ]);
    expect(events.slice(0, 2)).toEqual([
      { type: 'notice', message: 'Reading additional input from stdin...' },
      { type: 'notice', message: '{"type":"mystery"}' },
    ]);
    expect(ofType(events, 'model-turn')).toEqual([]);
    const finals = ofType(events, 'final');
    expect(finals).toHaveLength(1);
    expect(finals[0]).toMatchObject({
      isError: true,
      detail: expect.stringContaining('Bad thing in request'),
    });
  });

  it('ends a run cut off after an error with a failed final, and one cut off silently with none', () => {
    const errored = parseAll([
      '{"type":"thread.started","thread_id":"t"}',
      '{"type":"turn.started"}',
      '{"type":"error","message":"Reconnecting... 1/5 (stream disconnected)"}',
    ]);
    expect(ofType(errored, 'final')).toEqual([
      { type: 'final', text: '', isError: true, detail: 'Reconnecting... 1/5 (stream disconnected)' },
    ]);
    const silent = parseAll(['{"type":"thread.started","thread_id":"t"}', '{"type":"turn.started"}']);
    expect(ofType(silent, 'final')).toEqual([]);
  });
});

describe('codexAdapter with the real codex program', () => {
  const startKit = useEngineTestKits();

  // The program runs inside bubblewrap with the allow-list network: its HTTP client (reqwest) honours
  // HTTP_PROXY for the protocol server's 127.0.0.1 address because the sandbox empties NO_PROXY, so
  // every model call goes through cadre's proxy.
  it('runs a command that writes a file, and reports usage equal to what the server served', async () => {
    const kit = await startKit(
      codexAdapter,
      writeMadeFileReplies(
        {
          id: 'call_write',
          name: 'exec_command',
          arguments: { cmd: "printf 'made by codex\\n' > made.txt; env > command-env.txt" },
        },
        (recorded) => lastItem(recorded, 'input')?.type === 'function_call_output',
      ),
    );
    const run = await kit.run({ prompt: 'Write made.txt.', model: 'gpt-5.2' });
    expectMadeFileRun(kit, run, { content: 'made by codex\n', toolName: 'command_execution' });
    const commandEnvironment = readFileSync(join(kit.repo.userRepo, 'command-env.txt'), 'utf8');
    // its commands reach the model host only through cadre's proxy
    expect(commandEnvironment).toContain('HTTPS_PROXY=');
  }, 60_000);

  it('resumes the thread: the server sees the earlier conversation, and usage is counted once', async () => {
    const kit = await startKit(
      codexAdapter,
      firstThenSecondReplies((recorded) => JSON.stringify(lastItem(recorded, 'input'))),
    );
    const first = await kit.run({ prompt: 'The first message.', model: 'gpt-5.2' });
    expect(first.end.type).toBe('ran');
    const sessionId = first.end.type === 'ran' ? first.end.sessionId : null;
    expect(sessionId).toMatch(/^[0-9a-f-]{36}$/);

    const second = await kit.run({ prompt: 'The second message.', model: 'gpt-5.2', sessionId });
    expect(second.end).toMatchObject({ type: 'ran', sessionId, end: { type: 'exited', exitCode: 0 } });
    expect(ofType(second.events, 'session')[0]?.sessionId).toBe(sessionId);
    expect(ofType(second.events, 'final').at(-1)?.text).toBe('Second answer.');
    const history = JSON.stringify(kit.server.requests.at(-1)?.body.input);
    expect(history).toContain('The first message.');
    expect(history).toContain('First answer.');
    expect(history).toContain('The second message.');
    expect(ofType(second.events, 'model-turn')[0]?.usage).toEqual({
      inputTokens: 900,
      cachedInputTokens: 700,
      cacheWriteTokens: 0,
      outputTokens: 11,
      reasoningTokens: 0,
    });
    expect(usageOfTurns([...first.events, ...second.events])).toEqual(ledgerUsage(kit));
  }, 60_000);

  it('keeps a thread killed mid-turn resumable, and counts the model calls it made before', async () => {
    const abort = new AbortController();
    const kit = await startKit(codexAdapter, (recorded): ResponderReply => {
      const said = JSON.stringify(lastItem(recorded, 'input'));
      if (said.includes('Go on.'))
        return { type: 'text', text: 'Done after all.', usage: { inputTokens: 500, outputTokens: 5 } };
      if (lastItem(recorded, 'input')?.type === 'function_call_output') {
        // the second model call never answers: cadre kills the program (SIGKILL) while it waits
        setTimeout(() => abort.abort(), 200);
        return { type: 'hang' };
      }
      return {
        type: 'tool-calls',
        toolCalls: [{ id: 'call_one', name: 'exec_command', arguments: { cmd: 'echo one > one.txt' } }],
        usage: { inputTokens: 400, cachedInputTokens: 100, outputTokens: 20 },
      };
    });
    const killed = await kit.run({ prompt: 'Start.', model: 'gpt-5.2', signal: abort.signal });
    expect(killed.end).toMatchObject({ type: 'ran', end: { type: 'aborted' }, final: null });
    expect(existsSync(join(kit.repo.userRepo, 'one.txt'))).toBe(true);
    const sessionId = killed.end.type === 'ran' ? killed.end.sessionId : null;
    expect(sessionId).not.toBeNull();
    // codex printed no usage, but its rollout has the call it made: the end of the stream counts it
    expect(usageOfTurns(killed.events)).toEqual({
      ...emptyUsage(),
      inputTokens: 400,
      cachedInputTokens: 100,
      outputTokens: 20,
    });
    expect(readCodexThreadUsage(join(kit.stateDirectory, 'codex'), sessionId ?? '')).toEqual(
      usageOfTurns(killed.events),
    );

    const resumed = await kit.run({ prompt: 'Go on.', model: 'gpt-5.2', sessionId });
    expect(ofType(resumed.events, 'final').at(-1)).toMatchObject({ text: 'Done after all.', isError: false });
    expect(JSON.stringify(kit.server.requests.at(-1)?.body.input)).toContain('echo one > one.txt');
    expect(usageOfTurns([...killed.events, ...resumed.events])).toEqual(ledgerUsage(kit));
  }, 60_000);
});
