import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type AgentEvent, type AgentResult, createMemoryInbox, type MemoryInbox } from '../../agent/index.ts';
import { EngineSettings } from '../../protocol/index.ts';
import { createSandbox, type Sandbox } from '../../sandbox/index.ts';
import { createTempRepo, type TempRepo } from '../../workspace/testing/temp-repo.ts';
import type { EngineAdapter, EngineEvent, EngineToolCall } from '../engine-adapter.ts';
import type { EngineProgram } from '../find-engine-program.ts';
import type { EngineAgentOptions } from '../run-engine-agent.ts';
import { startEngineAgent } from './start-engine-agent.ts';
import { waitUntil } from './wait-until.ts';

/** The fixture program the scripted adapter runs with node. */
export const scriptedEnginePath = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '__fixtures__',
  'scripted-engine.mjs',
);

/** One step of a run of the scripted engine (see the fixture). */
export type ScriptStep =
  | { session: string; model?: string }
  | { turn: string; model?: string; tools?: EngineToolCall[]; input?: number; output?: number }
  | { tool: string; name: string; input?: unknown; output?: string; error?: boolean }
  | { sleep: number }
  | { final: string; error?: boolean; detail?: string }
  | { say: string }
  | { exit: number };

/** What one run of the fixture was asked, as it recorded it. */
export interface ScriptedRun {
  run: number;
  prompt: string;
  sessionId: string | null;
  model: string | null;
  pid: number;
}

/** Reads the fixture's JSON lines: session, turn, tool, tool-result and final; anything else is a notice. */
function parseLine(text: string): EngineEvent[] {
  let line: Record<string, unknown>;
  try {
    line = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return [{ type: 'notice', message: text }];
  }
  const usage = () => ({
    inputTokens: Number(line.input ?? 0),
    cachedInputTokens: 0,
    cacheWriteTokens: 0,
    outputTokens: Number(line.output ?? 0),
    reasoningTokens: 0,
  });
  switch (line.t) {
    case 'session':
      return [
        { type: 'session', sessionId: String(line.id), modelId: (line.model as string | null) ?? null },
      ];
    case 'turn':
      return [
        {
          type: 'model-turn',
          modelId: String(line.model ?? ''),
          text: String(line.text ?? ''),
          toolCalls: (line.tools as EngineToolCall[]) ?? [],
          usage: usage(),
        },
      ];
    case 'tool':
      return [{ type: 'tool-started', id: String(line.id), name: String(line.name), input: line.input }];
    case 'tool-result':
      return [
        {
          type: 'tool-ended',
          id: String(line.id),
          name: String(line.name),
          output: String(line.output ?? ''),
          isError: line.error === true,
        },
      ];
    case 'final':
      return [
        {
          type: 'final',
          text: String(line.text ?? ''),
          isError: line.error === true,
          detail: (line.detail as string | null) ?? null,
        },
      ];
    default:
      return [{ type: 'notice', message: text }];
  }
}

/** An engine adapter running the scripted fixture with node, for the engine driver's tests. */
export const scriptedEngineAdapter: EngineAdapter = {
  name: 'claude-code',
  provider: 'anthropic',
  keyVariable: 'SCRIPTED_ENGINE_KEY',
  programName: 'scripted-engine',
  packageName: 'scripted-engine',
  minimumVersion: '1.0.0',
  versionArgs: ['--version'],
  parseVersion: () => '1.0.0',
  sessionExists: (stateDirectory, sessionId) => existsSync(path.join(stateDirectory, `session-${sessionId}`)),
  launch(request) {
    const argv = ['node', request.programPath, '--state', request.stateDirectory];
    if (request.sessionId !== null) argv.push('--resume', request.sessionId);
    if (request.model !== null) argv.push('--model', request.model);
    argv.push('--', request.prompt);
    return { argv, environment: { SCRIPTED_ENGINE_KEY: request.connection.apiKey } };
  },
  createParser: () => ({ line: parseLine, end: () => [] }),
};

/** The fixture as a found program: its folder is mounted read-only in the sandbox. */
export const scriptedEngineProgram: EngineProgram = {
  path: scriptedEnginePath,
  version: '1.0.0',
  mountPaths: [path.dirname(scriptedEnginePath)],
};

/** A temp repository, a state directory and an inbox for one driver test with the scripted engine. */
export interface ScriptedEngineKit {
  repo: TempRepo;
  stateDirectory: string;
  inbox: MemoryInbox;
  /** Every event of the agent, as it came. */
  events: AgentEvent[];
  /** Writes the fixture's script: one list of steps per run, the last one repeated. */
  script(runs: ScriptStep[][]): void;
  /** What each run of the fixture was asked, in order. */
  runs(): ScriptedRun[];
  /** Runs the agent with the kit's defaults and `overrides`. */
  start(overrides?: Partial<EngineAgentOptions>): Promise<AgentResult>;
  /** Resolves once `predicate` holds, polled every 10 ms; rejects after `timeoutMs`. */
  waitFor(predicate: () => boolean, timeoutMs?: number): Promise<void>;
  /** Host pids of processes still running the fixture for this kit's state directory. */
  liveFixtureProcesses(): number[];
  close(): void;
}

let sharedSandbox: Sandbox | undefined;

/** Creates a kit; the sandbox is real (bubblewrap) and shared by the kits of one test file. */
export function createScriptedEngineKit(): ScriptedEngineKit {
  sharedSandbox ??= createSandbox();
  const sandbox = sharedSandbox;
  const repo = createTempRepo();
  const stateDirectory = path.join(repo.directory, 'engine-state');
  mkdirSync(stateDirectory, { recursive: true });
  const inbox = createMemoryInbox();
  const events: AgentEvent[] = [];
  const runsFile = path.join(stateDirectory, 'runs.jsonl');
  return {
    repo,
    stateDirectory,
    inbox,
    events,
    script(runs) {
      writeFileSync(path.join(stateDirectory, 'script.json'), JSON.stringify(runs));
    },
    runs() {
      if (!existsSync(runsFile)) return [];
      return readFileSync(runsFile, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as ScriptedRun);
    },
    start(overrides) {
      return startEngineAgent(
        {
          adapter: scriptedEngineAdapter,
          program: scriptedEngineProgram,
          sandbox,
          network: { type: 'none' },
          connection: { baseURL: null, apiKey: 'sk-scripted' },
          model: 'scripted-model',
          settings: EngineSettings.parse({ timeoutMs: 20_000 }),
          worktreePath: repo.userRepo,
          stateDirectory,
          inbox,
          events,
          timeoutMs: 25_000,
        },
        overrides,
      );
    },
    waitFor(predicate, timeoutMs = 10_000) {
      return waitUntil(predicate, timeoutMs, `waitFor: condition not met within ${timeoutMs} ms`);
    },
    liveFixtureProcesses() {
      const live: number[] = [];
      for (const entry of readdirSync('/proc')) {
        if (!/^\d+$/.test(entry)) continue;
        try {
          // the fixture itself, and the shell and bubblewrap that started it
          const commandLine = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
          if (commandLine.includes(scriptedEnginePath) && commandLine.includes(stateDirectory))
            live.push(Number(entry));
        } catch {
          // gone already
        }
      }
      return live;
    },
    close() {
      repo.cleanup();
    },
  };
}
