import { type Dirent, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { type ModelUsage, normalizeOpenAIBaseURL } from '../../llm/index.ts';
import type { EngineAdapter, EngineTurnRequest } from '../engine-adapter.ts';
import { type CodexParserOptions, CodexUsage, codexUsage, createCodexParser } from './codex-stream.ts';

const keyVariable = 'OPENAI_API_KEY';
// Codex's built-in `openai` provider ignores OPENAI_API_KEY (it wants `codex login`) and tries a
// WebSocket first, so cadre always defines its own provider, pointed at OpenAI when no base URL is set.
const providerId = 'cadre';
const openaiBaseURL = 'https://api.openai.com/v1';

/** Codex's home (config, sessions, rollouts) inside the agent's state directory, kept between runs for resume. */
export function codexHome(stateDirectory: string): string {
  return path.join(stateDirectory, 'codex');
}

/** A TOML basic string: JSON's escapes are valid TOML for what a URL or a model name holds. */
function tomlString(value: string): string {
  return JSON.stringify(value);
}

/**
 * The argv of one run. Flags come before `resume`, where `codex exec` takes them all (`exec resume`
 * itself lacks `--cd`), and the prompt after `--`, so a prompt starting with a dash is not a flag.
 */
function codexArguments(request: EngineTurnRequest): string[] {
  const baseURL = normalizeOpenAIBaseURL(request.connection.baseURL ?? openaiBaseURL);
  return [
    request.programPath,
    'exec',
    '--json',
    // Codex's own sandbox (Landlock and seccomp, or bubblewrap of its own) cannot nest inside cadre's
    // bubblewrap, and would add nothing: cadre's sandbox already limits what the program and every
    // command it runs can touch. Without it, approvals are moot too (nobody could answer them).
    '--dangerously-bypass-approvals-and-sandbox',
    // worktrees are git repositories, but codex need not insist
    '--skip-git-repo-check',
    '--cd',
    request.worktreePath,
    ...(request.model === null ? [] : ['--model', request.model]),
    '-c',
    `model_provider=${tomlString(providerId)}`,
    '-c',
    `model_providers.${providerId}={ name = ${tomlString(providerId)}, base_url = ${tomlString(baseURL)}, env_key = ${tomlString(keyVariable)}, wire_api = "responses" }`,
    // no calls home: nothing but the model API is reachable from the sandbox anyway
    '-c',
    'analytics.enabled=false',
    '-c',
    'check_for_update_on_startup=false',
    // the commands the model runs inherit codex's environment, and need not see its key
    '-c',
    `shell_environment_policy.exclude=[${tomlString(keyVariable)}]`,
    ...(request.sessionId === null ? [] : ['resume', request.sessionId]),
    '--',
    request.prompt,
  ];
}

const TokenCountLine = z.looseObject({
  type: z.literal('event_msg'),
  payload: z.looseObject({
    type: z.literal('token_count'),
    info: z.looseObject({ total_token_usage: CodexUsage }).nullable(),
  }),
});

function findRollout(directory: string, threadId: string): string | null {
  let entries: Dirent[];
  try {
    entries = readdirSync(directory, { withFileTypes: true });
  } catch {
    return null;
  }
  for (const entry of entries) {
    const entryPath = path.join(directory, entry.name);
    if (entry.isDirectory()) {
      const found = findRollout(entryPath, threadId);
      if (found !== null) return found;
    } else if (entry.name.startsWith('rollout-') && entry.name.endsWith(`-${threadId}.jsonl`))
      return entryPath;
  }
  return null;
}

/**
 * The thread's token totals so far, from the last `token_count` of its rollout
 * (`<CODEX_HOME>/sessions/YYYY/MM/DD/rollout-<time>-<thread id>.jsonl`); null when there is none.
 */
export function readCodexThreadUsage(home: string, threadId: string): ModelUsage | null {
  const rollout = findRollout(path.join(home, 'sessions'), threadId);
  if (rollout === null) return null;
  let text: string;
  try {
    text = readFileSync(rollout, 'utf8');
  } catch {
    return null;
  }
  const lines = text.split('\n');
  for (let index = lines.length - 1; index >= 0; index--) {
    const line = lines[index];
    if (line === undefined || !line.includes('"token_count"')) continue;
    try {
      const parsed = TokenCountLine.safeParse(JSON.parse(line));
      if (parsed.success && parsed.data.payload.info !== null)
        return codexUsage(parsed.data.payload.info.total_token_usage);
    } catch {
      // a line cut short by a killed run: look further up
    }
  }
  return null;
}

/** What a parser must know of its run: the model, and on resume the thread's totals before it. */
export function codexParserOptions(request: EngineTurnRequest): CodexParserOptions {
  const baseline =
    request.sessionId === null
      ? undefined
      : (readCodexThreadUsage(codexHome(request.stateDirectory), request.sessionId) ?? undefined);
  const home = codexHome(request.stateDirectory);
  return { model: request.model, baseline, readTotals: (threadId) => readCodexThreadUsage(home, threadId) };
}

/** OpenAI's Codex CLI (`@openai/codex`), run as `codex exec --json`. */
export const codexAdapter: EngineAdapter = {
  name: 'codex',
  provider: 'openai',
  keyVariable,
  programName: 'codex',
  packageName: '@openai/codex',
  minimumVersion: '0.160.0',
  versionArgs: ['--version'],
  parseVersion(output) {
    // "codex-cli 0.169.0"
    return /codex-cli\s+v?(\d+\.\d+\.\d+(?:-[\w.]+)?)/.exec(output)?.[1] ?? null;
  },
  launch(request) {
    const home = codexHome(request.stateDirectory);
    // codex refuses to start when CODEX_HOME does not exist
    mkdirSync(home, { recursive: true });
    // Codex has no limit on model calls per run (no flag or config key for it in 0.169): maxTurns
    // cannot be passed on; the run's timeout is what bounds it.
    return {
      argv: codexArguments(request),
      environment: { CODEX_HOME: home, [keyVariable]: request.connection.apiKey },
    };
  },
  sessionExists(stateDirectory, sessionId) {
    return findRollout(path.join(codexHome(stateDirectory), 'sessions'), sessionId) !== null;
  },
  createParser(request) {
    return createCodexParser(codexParserOptions(request));
  },
};
