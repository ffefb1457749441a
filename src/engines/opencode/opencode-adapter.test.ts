import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
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
import { opencodeAdapter, opencodeDefaultModel } from './opencode-adapter.ts';
import { createOpencodeParser } from './opencode-stream.ts';

// Recorded from opencode 1.18.33 (`opencode run --format json`, launched as opencodeAdapter does)
// against the protocol server.
const fixture = fixtureReader(import.meta.url);

function parseAll(
  lines: readonly string[],
  parser = createOpencodeParser({ model: 'gpt-5.2' }),
): EngineEvent[] {
  return parseLines(parser, lines);
}

const request = engineTurnRequest({ programPath: '/opt/opencode/bin/opencode', model: 'gpt-5.2' });

describe('opencodeAdapter: version and launch', () => {
  const stateDirectory = useTempStateDirectory('cadre-opencode-launch-');

  it('reads the version opencode prints', () => {
    expect(opencodeAdapter.parseVersion('1.18.33\n')).toBe('1.18.33');
    expect(opencodeAdapter.parseVersion('1.19.0-beta.1')).toBe('1.19.0-beta.1');
    expect(opencodeAdapter.parseVersion('command not found')).toBeNull();
  });

  it('starts a new session on its own provider, with the key in its config only, and the prompt after --', () => {
    const launch = opencodeAdapter.launch({ ...request, stateDirectory: stateDirectory() });
    expect(launch.argv.slice(0, 4)).toEqual(['/opt/opencode/bin/opencode', 'run', '--format', 'json']);
    expect(launch.argv.join(' ')).toContain('--model cadre/gpt-5.2');
    expect(launch.argv.join(' ')).toContain('--dir /work/tree');
    expect(launch.argv).toContain('--auto');
    expect(launch.argv).not.toContain('--session');
    expect(launch.argv.slice(-2)).toEqual(['--', '-starts with a dash']);
    const home = join(stateDirectory(), 'opencode');
    expect(launch.environment).toMatchObject({
      XDG_CONFIG_HOME: join(home, 'config'),
      XDG_DATA_HOME: join(home, 'data'),
      OPENCODE_DISABLE_AUTOUPDATE: '1',
      OPENCODE_DISABLE_MODELS_FETCH: '1',
    });
    expect(JSON.stringify(launch.environment)).not.toContain('sk-test');
    const configPath = join(home, 'config', 'opencode', 'opencode.json');
    expect(statSync(configPath).mode & 0o777).toBe(0o600);
    const config = JSON.parse(readFileSync(configPath, 'utf8'));
    expect(config.model).toBe('cadre/gpt-5.2');
    expect(config.provider.cadre).toMatchObject({
      npm: '@ai-sdk/openai-compatible',
      options: { baseURL: 'http://127.0.0.1:9999/v1', apiKey: 'sk-test' },
      models: { 'gpt-5.2': { limit: { context: 400_000, output: 128_000 } } },
    });
    expect(config.agent).toEqual({ build: { steps: 20 } });
  });

  it('resumes a session by id, and uses OpenAI itself and cadre’s default model when none is set', () => {
    const launch = opencodeAdapter.launch({
      ...request,
      stateDirectory: stateDirectory(),
      sessionId: 'ses_dd82b7834ffeQJzUPOjCjcJ9LT',
      model: null,
      connection: { baseURL: null, apiKey: 'sk-test' },
    });
    expect(launch.argv.slice(-4)).toEqual([
      '--session',
      'ses_dd82b7834ffeQJzUPOjCjcJ9LT',
      '--',
      '-starts with a dash',
    ]);
    expect(launch.argv.join(' ')).toContain(`--model cadre/${opencodeDefaultModel}`);
    const config = JSON.parse(
      readFileSync(join(stateDirectory(), 'opencode', 'config', 'opencode', 'opencode.json'), 'utf8'),
    );
    expect(config.provider.cadre.options.baseURL).toBe('https://api.openai.com/v1');
  });
});

describe('createOpencodeParser on recorded output', () => {
  const firstCall = {
    inputTokens: 1000,
    cachedInputTokens: 600,
    cacheWriteTokens: 0,
    outputTokens: 40,
    reasoningTokens: 25,
  };

  it('maps a run that runs a command: session, a turn per model call with the served usage, final', () => {
    const events = parseAll(fixture('write-then-answer.jsonl'));
    expect(events.map((event) => event.type)).toEqual([
      'session',
      'tool-started',
      'tool-ended',
      'model-turn',
      'model-turn',
      'final',
    ]);
    expect(events[0]).toEqual({
      type: 'session',
      sessionId: 'ses_dd82b7834ffeQJzUPOjCjcJ9LT',
      modelId: 'gpt-5.2',
    });
    const command = "printf 'made by opencode\\n' > made.txt && echo ok";
    const input = { command, description: 'Write made.txt' };
    expect(events[1]).toEqual({ type: 'tool-started', id: 'call_write', name: 'bash', input });
    expect(events[2]).toEqual({
      type: 'tool-ended',
      id: 'call_write',
      name: 'bash',
      output: 'ok\n',
      isError: false,
    });
    // opencode prints input without cache reads and output without reasoning: both are added back
    expect(events[3]).toEqual({
      type: 'model-turn',
      modelId: 'gpt-5.2',
      text: 'Writing it now.',
      toolCalls: [{ id: 'call_write', name: 'bash', input }],
      usage: firstCall,
    });
    expect(events[4]).toEqual({
      type: 'model-turn',
      modelId: 'gpt-5.2',
      text: 'Wrote made.txt.',
      toolCalls: [],
      usage: {
        inputTokens: 1300,
        cachedInputTokens: 1200,
        cacheWriteTokens: 0,
        outputTokens: 9,
        reasoningTokens: 4,
      },
    });
    expect(events[5]).toEqual({ type: 'final', text: 'Wrote made.txt.', isError: false, detail: null });
  });

  it('reads a resumed session: the same session id, and usage per call (never running totals)', () => {
    const events = parseAll(fixture('resumed.jsonl'));
    expect(ofType(events, 'session')[0]?.sessionId).toBe('ses_dd82b7834ffeQJzUPOjCjcJ9LT');
    expect(ofType(events, 'model-turn').map((turn) => turn.usage)).toEqual([
      { inputTokens: 900, cachedInputTokens: 700, cacheWriteTokens: 0, outputTokens: 11, reasoningTokens: 0 },
    ]);
    expect(ofType(events, 'final')).toEqual([
      { type: 'final', text: 'Second answer.', isError: false, detail: null },
    ]);
  });

  it('marks a command that exits non-zero as a failed tool', () => {
    const events = parseAll(fixture('tool-error.jsonl'));
    expect(ofType(events, 'tool-ended')).toEqual([
      { type: 'tool-ended', id: 'call_write', name: 'bash', output: 'oops\n', isError: true },
    ]);
  });

  it('makes an API error a failed final with opencode’s reason, and garbage a notice', () => {
    const events = parseAll(['Some warning', '{"type":"mystery"}', ...fixture('api-error.jsonl')]);
    expect(events.slice(0, 2)).toEqual([
      { type: 'notice', message: 'Some warning' },
      { type: 'notice', message: '{"type":"mystery"}' },
    ]);
    expect(ofType(events, 'session')).toHaveLength(1);
    expect(ofType(events, 'model-turn')).toEqual([]);
    expect(ofType(events, 'final')).toEqual([
      { type: 'final', text: '', isError: true, detail: 'APIError: Bad thing in request' },
    ]);
  });

  it('counts the finished calls of a run killed mid-turn, and gives it no final', () => {
    const events = parseAll(fixture('killed.jsonl'));
    expect(usageOfTurns(events)).toEqual(firstCall);
    expect(ofType(events, 'final')).toEqual([]);
  });
});

// Until EngineName lists 'opencode', the kit takes the adapter through a cast; it is one in every other way.
const adapter = opencodeAdapter;

describe('opencodeAdapter with the real opencode program', () => {
  const startKit = useEngineTestKits();

  it('runs a command that writes a file, and reports usage equal to what the server served', async () => {
    const kit = await startKit(
      adapter,
      writeMadeFileReplies(
        {
          id: 'call_write',
          name: 'bash',
          arguments: {
            command: "printf 'made by opencode\\n' > made.txt; env > command-env.txt",
            description: 'Write made.txt',
          },
        },
        (recorded) => lastItem(recorded, 'messages')?.role === 'tool',
      ),
    );
    const run = await kit.run({ prompt: 'Write made.txt.', model: 'gpt-5.2' });
    // no title call: every model call is one of the run's steps (the check counts two)
    expectMadeFileRun(kit, run, { content: 'made by opencode\n', toolName: 'bash' });
  }, 120_000);

  it('resumes the session: the server sees the earlier conversation, and usage is counted once', async () => {
    const kit = await startKit(
      adapter,
      firstThenSecondReplies((recorded) => JSON.stringify(lastItem(recorded, 'messages'))),
    );
    const first = await kit.run({ prompt: 'The first message.', model: 'gpt-5.2' });
    expect(first.end.type).toBe('ran');
    const sessionId = first.end.type === 'ran' ? first.end.sessionId : null;
    expect(sessionId).toMatch(/^ses_\w+$/);
    expect(adapter.sessionExists(kit.stateDirectory, sessionId ?? '')).toBe(true);
    expect(adapter.sessionExists(kit.stateDirectory, 'ses_nothere')).toBe(false);

    const second = await kit.run({ prompt: 'The second message.', model: 'gpt-5.2', sessionId });
    expect(second.end).toMatchObject({ type: 'ran', sessionId, end: { type: 'exited', exitCode: 0 } });
    expect(ofType(second.events, 'final').at(-1)?.text).toBe('Second answer.');
    const history = JSON.stringify(kit.server.requests.at(-1)?.body.messages);
    expect(history).toContain('The first message.');
    expect(history).toContain('First answer.');
    expect(usageOfTurns([...first.events, ...second.events])).toEqual(ledgerUsage(kit));
  }, 120_000);

  it('ends an API error with a failed final that says why', async () => {
    const kit = await startKit(adapter, () => ({
      type: 'error',
      status: 400,
      message: 'Bad thing in request',
    }));
    const { end, events } = await kit.run({ prompt: 'Start.', model: 'gpt-5.2' });
    expect(end).toMatchObject({ type: 'ran', end: { type: 'exited', exitCode: 1 } });
    expect(ofType(events, 'final').at(-1)).toMatchObject({
      isError: true,
      detail: expect.stringContaining('Bad thing in request'),
    });
  }, 120_000);
});
