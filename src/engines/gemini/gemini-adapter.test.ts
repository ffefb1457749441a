import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../engine-adapter.ts';
import { ofType, parseLines } from '../testing/engine-events.ts';
import { fixtureReader } from '../testing/engine-fixtures.ts';
import { engineTurnRequest } from '../testing/engine-request.ts';
import { useTempStateDirectory } from '../testing/temp-state-directory.ts';
import { geminiAdapter, readGeminiSessionTotals } from './gemini-adapter.ts';
import { createGeminiParser, type GeminiTotals } from './gemini-stream.ts';

// Constructed from the stream-json format of @google/gemini-cli 0.61.0 (see __fixtures__/README.md):
// the program cannot run here, as the protocol server does not speak Google's Gemini API.
const fixture = fixtureReader(import.meta.url);

function parseAll(
  lines: readonly string[],
  parser = createGeminiParser({ model: 'gemini-2.5-pro' }),
): EngineEvent[] {
  return parseLines(parser, lines);
}

const request = engineTurnRequest({
  programPath: '/opt/gemini/bin/gemini',
  model: 'gemini-2.5-pro',
  connection: { baseURL: 'http://127.0.0.1:9999', apiKey: 'gm-test' },
});

const firstRun: GeminiTotals = {
  'gemini-2.5-pro': {
    inputTokens: 2300,
    cachedInputTokens: 1800,
    cacheWriteTokens: 0,
    outputTokens: 49,
    reasoningTokens: 0,
  },
};

describe('geminiAdapter: version and launch', () => {
  const stateDirectory = useTempStateDirectory('cadre-gemini-launch-');

  it('reads the version gemini prints', () => {
    expect(geminiAdapter.parseVersion('0.61.0\n')).toBe('0.61.0');
    expect(geminiAdapter.parseVersion('0.62.0-preview.1')).toBe('0.62.0-preview.1');
    expect(geminiAdapter.parseVersion('command not found')).toBeNull();
  });

  it('starts a new session in stream-json and yolo mode, with its home, key and base URL', () => {
    const launch = geminiAdapter.launch({ ...request, stateDirectory: stateDirectory() });
    expect(launch.argv).toEqual([
      '/opt/gemini/bin/gemini',
      '--output-format',
      'stream-json',
      '--approval-mode',
      'yolo',
      '--skip-trust',
      '--model',
      'gemini-2.5-pro',
      '--prompt=-starts with a dash',
    ]);
    expect(launch.environment).toEqual({
      GEMINI_CLI_HOME: join(stateDirectory(), 'gemini'),
      GEMINI_API_KEY: 'gm-test',
      GOOGLE_GEMINI_BASE_URL: 'http://127.0.0.1:9999',
    });
    const settings = JSON.parse(
      readFileSync(join(stateDirectory(), 'gemini', '.gemini', 'settings.json'), 'utf8'),
    );
    expect(settings).toMatchObject({
      privacy: { usageStatisticsEnabled: false },
      model: { maxSessionTurns: 20 },
    });
  });

  it('resumes a session by id, and leaves Google’s own host and gemini’s model alone when none is set', () => {
    const launch = geminiAdapter.launch({
      ...request,
      stateDirectory: stateDirectory(),
      sessionId: '4f1e2d3c-5b6a-4798-8a9b-0c1d2e3f4a5b',
      model: null,
      connection: { baseURL: null, apiKey: 'gm-test' },
    });
    expect(launch.argv.slice(-3)).toEqual([
      '--resume',
      '4f1e2d3c-5b6a-4798-8a9b-0c1d2e3f4a5b',
      '--prompt=-starts with a dash',
    ]);
    expect(launch.argv).not.toContain('--model');
    expect(launch.environment).not.toHaveProperty('GOOGLE_GEMINI_BASE_URL');
  });

  it('finds a session gemini recorded under its home by the id inside the file', () => {
    const sessionId = '4f1e2d3c-5b6a-4798-8a9b-0c1d2e3f4a5b';
    expect(geminiAdapter.sessionExists(stateDirectory(), sessionId)).toBe(false);
    const chats = join(stateDirectory(), 'gemini', '.gemini', 'tmp', 'tree', 'chats');
    mkdirSync(chats, { recursive: true });
    writeFileSync(join(chats, 'session-2026-11-29T15-10-4f1e2d3c.jsonl'), `{"sessionId":"${sessionId}"}\n`);
    expect(geminiAdapter.sessionExists(stateDirectory(), sessionId)).toBe(true);
    expect(geminiAdapter.sessionExists(stateDirectory(), 'another')).toBe(false);
  });

  it('keeps a session’s totals after a run, and subtracts them from the next resumed run', () => {
    const sessionId = '4f1e2d3c-5b6a-4798-8a9b-0c1d2e3f4a5b';
    parseAll(
      fixture('write-then-answer.jsonl'),
      geminiAdapter.createParser({ ...request, stateDirectory: stateDirectory() }),
    );
    expect(readGeminiSessionTotals(stateDirectory(), sessionId)).toEqual(firstRun);
    const resumed = parseAll(
      fixture('resumed.jsonl'),
      geminiAdapter.createParser({ ...request, stateDirectory: stateDirectory(), sessionId }),
    );
    expect(ofType(resumed, 'model-turn').map((turn) => turn.usage)).toEqual([
      { inputTokens: 900, cachedInputTokens: 700, cacheWriteTokens: 0, outputTokens: 11, reasoningTokens: 0 },
    ]);
  });
});

describe('createGeminiParser on constructed output', () => {
  it('maps a run that runs a command: session, tool start and end, one model turn, final', () => {
    const events = parseAll(fixture('write-then-answer.jsonl'));
    expect(events.map((event) => event.type)).toEqual([
      'session',
      'tool-started',
      'tool-ended',
      'model-turn',
      'final',
    ]);
    expect(events[0]).toEqual({
      type: 'session',
      sessionId: '4f1e2d3c-5b6a-4798-8a9b-0c1d2e3f4a5b',
      modelId: 'gemini-2.5-pro',
    });
    const id = 'run_shell_command-1795964801400-0';
    const input = {
      command: "printf 'made by gemini\\n' > made.txt && echo ok",
      description: 'Write made.txt',
    };
    expect(events[1]).toEqual({ type: 'tool-started', id, name: 'run_shell_command', input });
    expect(events[2]).toEqual({
      type: 'tool-ended',
      id,
      name: 'run_shell_command',
      output: 'ok',
      isError: false,
    });
    expect(events[3]).toEqual({
      type: 'model-turn',
      modelId: 'gemini-2.5-pro',
      text: 'Writing it now.\n\nWrote made.txt.',
      toolCalls: [{ id, name: 'run_shell_command', input }],
      usage: firstRun['gemini-2.5-pro'],
    });
    expect(events[4]).toEqual({ type: 'final', text: 'Wrote made.txt.', isError: false, detail: null });
  });

  it('counts a resumed run as the session’s totals less those before it', () => {
    const parser = createGeminiParser({ model: null, baseline: firstRun });
    const events = parseAll(fixture('resumed.jsonl'), parser);
    expect(ofType(events, 'model-turn')).toEqual([
      {
        type: 'model-turn',
        modelId: 'gemini-2.5-pro',
        text: 'Second answer.',
        toolCalls: [],
        usage: {
          inputTokens: 900,
          cachedInputTokens: 700,
          cacheWriteTokens: 0,
          outputTokens: 11,
          reasoningTokens: 0,
        },
      },
    ]);
  });

  it('marks a failed tool, and names the model gemini reports', () => {
    const events = parseAll(fixture('tool-error.jsonl'), createGeminiParser());
    expect(ofType(events, 'session')[0]?.modelId).toBe('gemini-2.5-flash');
    expect(ofType(events, 'tool-ended')).toEqual([
      {
        type: 'tool-ended',
        id: 'read_file-1795964920800-0',
        name: 'read_file',
        output: 'File not found: /work/tree/missing.txt',
        isError: true,
      },
    ]);
    expect(ofType(events, 'model-turn')[0]?.modelId).toBe('gemini-2.5-flash');
  });

  it('makes an error result a failed final with gemini’s reason, and garbage a notice', () => {
    const events = parseAll([
      'Loaded cached credentials.',
      '{"type":"mystery"}',
      ...fixture('api-error.jsonl'),
    ]);
    expect(events.slice(0, 2)).toEqual([
      { type: 'notice', message: 'Loaded cached credentials.' },
      { type: 'notice', message: '{"type":"mystery"}' },
    ]);
    expect(ofType(events, 'model-turn')).toEqual([]);
    expect(ofType(events, 'final')).toEqual([
      {
        type: 'final',
        text: '',
        isError: true,
        detail: '[API Error: API key not valid. Please pass a valid API key.]',
      },
    ]);
  });

  it('ends a run cut off after an error with a failed final, and one cut off silently with none', () => {
    const init = '{"type":"init","session_id":"s","model":"gemini-2.5-pro"}';
    const errored = parseAll([init, '{"type":"error","severity":"error","message":"Quota exceeded"}']);
    expect(ofType(errored, 'notice')).toEqual([{ type: 'notice', message: 'gemini: Quota exceeded' }]);
    expect(ofType(errored, 'final')).toEqual([
      { type: 'final', text: '', isError: true, detail: 'Quota exceeded' },
    ]);
    expect(ofType(parseAll([init]), 'final')).toEqual([]);
  });
});
