import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { modelLimitsFor, normalizeOpenAIBaseURL, openaiDefaultBaseURL } from '../../llm/index.ts';
import type { EngineAdapter, EngineTurnRequest } from '../engine-adapter.ts';
import { createOpencodeParser } from './opencode-stream.ts';

const keyVariable = 'OPENAI_API_KEY';
/** The provider cadre defines in opencode's config: OpenAI Chat Completions at the connection's base URL. */
export const opencodeProviderId = 'cadre';
/**
 * The model a run uses when cadre names none: opencode has no default of its own for a provider
 * defined in its config, so one must be chosen.
 */
export const opencodeDefaultModel = 'gpt-5.2';

/** opencode's homes (config, data with its session database, cache, state) inside the agent's state directory. */
export function opencodeHome(stateDirectory: string): string {
  return path.join(stateDirectory, 'opencode');
}

/** Whether opencode's session database (`<XDG_DATA_HOME>/opencode/opencode.db`) holds the session. */
export function opencodeSessionExists(stateDirectory: string, sessionId: string): boolean {
  const file = path.join(opencodeHome(stateDirectory), 'data', 'opencode', 'opencode.db');
  let database: Database.Database | null = null;
  try {
    database = new Database(file, { readonly: true, fileMustExist: true });
    return database.prepare('SELECT 1 FROM session WHERE id = ?').get(sessionId) !== undefined;
  } catch {
    return false;
  } finally {
    database?.close();
  }
}

function opencodeModel(request: EngineTurnRequest): string {
  return request.model ?? opencodeDefaultModel;
}

/**
 * opencode's global config for one run: a provider of its own (the AI SDK's OpenAI-compatible one) at
 * cadre's base URL with the key, the model with its limits (so opencode compacts in time), and nothing
 * that calls home. `steps` bounds the model calls of the build agent: at the last one opencode asks the
 * model for a text-only summary (a soft limit: the tools stay offered).
 */
export function opencodeConfig(request: EngineTurnRequest): Record<string, unknown> {
  const model = opencodeModel(request);
  const baseURL = normalizeOpenAIBaseURL(request.connection.baseURL ?? openaiDefaultBaseURL);
  const limits = modelLimitsFor({ limits: {} }, `openai-chat:${model}`);
  return {
    $schema: 'https://opencode.ai/config.json',
    autoupdate: false,
    share: 'disabled',
    // opencode's own git snapshots of the worktree (for its undo): cadre's worktrees already have git
    snapshot: false,
    model: `${opencodeProviderId}/${model}`,
    small_model: `${opencodeProviderId}/${model}`,
    provider: {
      [opencodeProviderId]: {
        npm: '@ai-sdk/openai-compatible',
        name: opencodeProviderId,
        // the key is in this file, not in opencode's environment, which every command it runs inherits
        options: { baseURL, apiKey: request.connection.apiKey },
        models: {
          [model]: {
            name: model,
            tool_call: true,
            limit: { context: limits.contextWindowTokens, output: limits.maxOutputTokens },
          },
        },
      },
    },
    agent: { build: { steps: request.maxTurns } },
  };
}

/**
 * The argv of one run. `--title` spares the extra model call opencode makes to title a new session
 * (its usage is printed nowhere); `--auto` approves what would otherwise wait for a person (cadre's
 * sandbox bounds what the program may touch); the prompt comes after `--`.
 */
function opencodeArguments(request: EngineTurnRequest): string[] {
  return [
    request.programPath,
    'run',
    '--format',
    'json',
    '--model',
    `${opencodeProviderId}/${opencodeModel(request)}`,
    '--title',
    'cadre',
    '--auto',
    '--dir',
    request.worktreePath,
    ...(request.sessionId === null ? [] : ['--session', request.sessionId]),
    '--',
    request.prompt,
  ];
}

/** opencode (`opencode-ai`), run as `opencode run --format json` against an OpenAI-compatible provider. */
export const opencodeAdapter: EngineAdapter = {
  name: 'opencode',
  provider: 'openai',
  keyVariable,
  programName: 'opencode',
  packageName: 'opencode-ai',
  minimumVersion: '1.18.33',
  versionArgs: ['--version'],
  parseVersion(output) {
    // "1.18.33"
    return /^\s*v?(\d+\.\d+\.\d+(?:-[\w.]+)?)\s*$/m.exec(output)?.[1] ?? null;
  },
  // opencode has no spending limit of its own: maxBudgetUsd is not passed on.
  launch(request) {
    const home = opencodeHome(request.stateDirectory);
    const directories = {
      XDG_CONFIG_HOME: path.join(home, 'config'),
      XDG_DATA_HOME: path.join(home, 'data'),
      XDG_CACHE_HOME: path.join(home, 'cache'),
      XDG_STATE_HOME: path.join(home, 'state'),
    };
    for (const directory of Object.values(directories)) mkdirSync(directory, { recursive: true });
    // the global config file: unlike OPENCODE_CONFIG_CONTENT, opencode reads agent settings from it
    const configDirectory = path.join(directories.XDG_CONFIG_HOME, 'opencode');
    mkdirSync(configDirectory, { recursive: true });
    writeFileSync(
      path.join(configDirectory, 'opencode.json'),
      `${JSON.stringify(opencodeConfig(request), null, 2)}\n`,
      { mode: 0o600 },
    );
    return {
      argv: opencodeArguments(request),
      environment: {
        ...directories,
        // no calls home: nothing but the model API is reachable from the sandbox anyway
        OPENCODE_DISABLE_AUTOUPDATE: '1',
        OPENCODE_DISABLE_MODELS_FETCH: '1',
        OPENCODE_DISABLE_LSP_DOWNLOAD: '1',
        OPENCODE_DISABLE_SHARE: '1',
      },
    };
  },
  sessionExists: opencodeSessionExists,
  createParser(request) {
    return createOpencodeParser({ model: opencodeModel(request) });
  },
};
