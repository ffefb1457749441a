import { type Dirent, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { EngineAdapter, EngineTurnRequest } from '../engine-adapter.ts';
import { createGeminiParser, type GeminiParserOptions, type GeminiTotals } from './gemini-stream.ts';

const keyVariable = 'GEMINI_API_KEY';

/** Gemini CLI's home (GEMINI_CLI_HOME: settings, sessions under `.gemini/`) inside the agent's state directory. */
export function geminiHome(stateDirectory: string): string {
  return path.join(stateDirectory, 'gemini');
}

/** Where cadre keeps each session's token totals as the last run reported them, for the next resume. */
function totalsPath(stateDirectory: string, sessionId: string): string {
  return path.join(geminiHome(stateDirectory), 'cadre-totals', `${sessionId.replace(/[^\w-]/g, '_')}.json`);
}

const Usage = z.object({
  inputTokens: z.number(),
  cachedInputTokens: z.number(),
  cacheWriteTokens: z.number(),
  outputTokens: z.number(),
  reasoningTokens: z.number(),
});
const Totals = z.record(z.string(), Usage);

/** The session's totals per model as cadre recorded them after its last run; null when there are none. */
export function readGeminiSessionTotals(stateDirectory: string, sessionId: string): GeminiTotals | null {
  try {
    const parsed = Totals.safeParse(JSON.parse(readFileSync(totalsPath(stateDirectory, sessionId), 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function writeGeminiSessionTotals(stateDirectory: string, sessionId: string, totals: GeminiTotals): void {
  const file = totalsPath(stateDirectory, sessionId);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(totals)}\n`);
}

function entries(directory: string): Dirent[] {
  try {
    return readdirSync(directory, { withFileTypes: true });
  } catch {
    return [];
  }
}

/**
 * Whether Gemini CLI recorded the session: a file of `<GEMINI_CLI_HOME>/.gemini/tmp/<project>/chats/`
 * that names its id (the files are `session-<time>-<id prefix>.json(l)` holding the full id).
 */
export function geminiSessionExists(stateDirectory: string, sessionId: string): boolean {
  const temp = path.join(geminiHome(stateDirectory), '.gemini', 'tmp');
  for (const project of entries(temp)) {
    if (!project.isDirectory()) continue;
    const chats = path.join(temp, project.name, 'chats');
    for (const file of entries(chats)) {
      if (!file.isFile() || !file.name.startsWith('session-')) continue;
      try {
        if (readFileSync(path.join(chats, file.name), 'utf8').includes(sessionId)) return true;
      } catch {
        // unreadable: look on
      }
    }
  }
  return false;
}

/**
 * Gemini CLI's user settings for cadre's runs: no usage statistics or update checks (nothing but the
 * model API is reachable), no folder-trust prompt, and maxTurns as its limit on model turns.
 */
export function geminiSettings(request: EngineTurnRequest): Record<string, unknown> {
  return {
    general: { enableAutoUpdate: false, enableAutoUpdateNotification: false },
    privacy: { usageStatisticsEnabled: false },
    security: { folderTrust: { enabled: false } },
    model: { maxSessionTurns: request.maxTurns },
  };
}

/**
 * The argv of one run. The prompt is given as `--prompt=<text>`, so a prompt starting with a dash is
 * not read as a flag; `--approval-mode yolo` runs tools without asking (cadre's sandbox bounds them).
 */
function geminiArguments(request: EngineTurnRequest): string[] {
  return [
    request.programPath,
    '--output-format',
    'stream-json',
    '--approval-mode',
    'yolo',
    '--skip-trust',
    ...(request.model === null ? [] : ['--model', request.model]),
    ...(request.sessionId === null ? [] : ['--resume', request.sessionId]),
    `--prompt=${request.prompt}`,
  ];
}

/** What a parser must know of its run: the model, and on resume the session's totals before it. */
export function geminiParserOptions(request: EngineTurnRequest): GeminiParserOptions {
  const baseline =
    request.sessionId === null
      ? undefined
      : (readGeminiSessionTotals(request.stateDirectory, request.sessionId) ?? undefined);
  return {
    model: request.model,
    baseline,
    onTotals: (sessionId, totals) => writeGeminiSessionTotals(request.stateDirectory, sessionId, totals),
  };
}

/**
 * Google's Gemini CLI (`@google/gemini-cli`), run as `gemini --output-format stream-json`. It speaks
 * only Google's Gemini API (generateContent); GOOGLE_GEMINI_BASE_URL points it at another host that
 * speaks the same. Its provider is Google's, which cadre's EngineAdapter does not name yet.
 */
export const geminiAdapter: EngineAdapter = {
  name: 'gemini',
  provider: 'google',
  keyVariable,
  programName: 'gemini',
  packageName: '@google/gemini-cli',
  minimumVersion: '0.61.0',
  versionArgs: ['--version'],
  parseVersion(output) {
    // "0.61.0"
    return /^\s*v?(\d+\.\d+\.\d+(?:-[\w.]+)?)\s*$/m.exec(output)?.[1] ?? null;
  },
  // Gemini CLI has no spending limit of its own: maxBudgetUsd is not passed on.
  launch(request) {
    const home = geminiHome(request.stateDirectory);
    const settingsDirectory = path.join(home, '.gemini');
    mkdirSync(settingsDirectory, { recursive: true });
    writeFileSync(
      path.join(settingsDirectory, 'settings.json'),
      `${JSON.stringify(geminiSettings(request), null, 2)}\n`,
    );
    return {
      argv: geminiArguments(request),
      environment: {
        GEMINI_CLI_HOME: home,
        [keyVariable]: request.connection.apiKey,
        // with a base URL gemini uses its "gateway" authentication: the same API at another host
        ...(request.connection.baseURL === null
          ? {}
          : { GOOGLE_GEMINI_BASE_URL: request.connection.baseURL }),
      },
    };
  },
  sessionExists: geminiSessionExists,
  createParser(request) {
    return createGeminiParser(geminiParserOptions(request));
  },
};
