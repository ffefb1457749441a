import { isEngineEntry, type ModelsConfig } from '../protocol/index.ts';
import {
  anthropicDefaultBaseURL,
  normalizeAnthropicBaseURL,
  normalizeOpenAIBaseURL,
  openaiDefaultBaseURL,
} from './base-url.ts';
import { type ParsedModelId, parseModelId } from './model-id.ts';
import { resolveRoleChain, settingForRole } from './role-chain.ts';

/** Where one model's requests go and with which key; `apiKey` is null for keyless servers and the sim. */
export interface ModelConnection {
  apiKey: string | null;
  baseURL: string | undefined;
  /** The model name sent on the wire. */
  wireModel: string;
}

/** A connection, or why there is none; `variable` names the environment variable to set. */
export type ConnectionResult =
  | { type: 'ok'; connection: ModelConnection }
  | { type: 'missing'; variable: string | null; message: string };

/** One environment variable cadre would read, and whether it is set (its value is never exposed). */
export interface KeyStatus {
  provider: string;
  variable: string;
  present: boolean;
}

function read(env: NodeJS.ProcessEnv, variable: string): string | undefined {
  const value = env[variable];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function hosted(
  parsed: ParsedModelId,
  connection: { apiKey?: string; apiKeyEnv?: string; baseURL?: string; baseURLEnv?: string } | undefined,
  defaults: {
    keyVariable: string;
    baseURLVariable: string;
    defaultBaseURL: string;
    normalize: (url: string) => string;
  },
  env: NodeJS.ProcessEnv,
): ConnectionResult {
  const keyVariable = connection?.apiKeyEnv ?? defaults.keyVariable;
  const apiKey = connection?.apiKey ?? read(env, keyVariable);
  if (apiKey === undefined) {
    return {
      type: 'missing',
      variable: keyVariable,
      message: `${parsed.id} needs an API key: set ${keyVariable} (or the apiKey of this provider in the config)`,
    };
  }
  const configured = connection?.baseURL ?? read(env, connection?.baseURLEnv ?? defaults.baseURLVariable);
  // Always explicit: left undefined, the AI SDK would read process.env itself, behind the injected env's back.
  const baseURL = configured === undefined ? defaults.defaultBaseURL : defaults.normalize(configured);
  return { type: 'ok', connection: { apiKey, baseURL, wireModel: parsed.name } };
}

/** Works out where a model's requests go, from the config first and the environment second. */
export function resolveConnection(
  parsed: ParsedModelId,
  config: ModelsConfig,
  env: NodeJS.ProcessEnv,
): ConnectionResult {
  switch (parsed.type) {
    case 'openai':
    case 'openai-chat':
      return hosted(
        parsed,
        config.providers.openai,
        {
          keyVariable: 'OPENAI_API_KEY',
          baseURLVariable: 'OPENAI_BASE_URL',
          defaultBaseURL: openaiDefaultBaseURL,
          normalize: normalizeOpenAIBaseURL,
        },
        env,
      );
    case 'anthropic':
      return hosted(
        parsed,
        config.providers.anthropic,
        {
          keyVariable: 'ANTHROPIC_API_KEY',
          baseURLVariable: 'ANTHROPIC_BASE_URL',
          defaultBaseURL: anthropicDefaultBaseURL,
          normalize: normalizeAnthropicBaseURL,
        },
        env,
      );
    case 'openai-compatible': {
      const server = config.compatible[parsed.name];
      if (server === undefined) {
        return {
          type: 'missing',
          variable: null,
          message: `${parsed.id} names no configured server: add "compatible": { "${parsed.name}": { "baseURL": "http://…/v1" } } to the models config`,
        };
      }
      const baseURL =
        server.baseURL ?? (server.baseURLEnv === undefined ? undefined : read(env, server.baseURLEnv));
      if (baseURL === undefined) {
        const variable = server.baseURLEnv ?? null;
        const where = variable === null ? 'set its baseURL in the config' : `set ${variable}`;
        return { type: 'missing', variable, message: `${parsed.id} needs a base URL: ${where}` };
      }
      const apiKey =
        server.apiKey ?? (server.apiKeyEnv === undefined ? undefined : read(env, server.apiKeyEnv));
      if (apiKey === undefined && server.apiKeyEnv !== undefined) {
        return {
          type: 'missing',
          variable: server.apiKeyEnv,
          message: `${parsed.id} needs an API key: set ${server.apiKeyEnv}`,
        };
      }
      return {
        type: 'ok',
        connection: { apiKey: apiKey ?? null, baseURL, wireModel: server.model ?? parsed.name },
      };
    }
    case 'sim':
      return { type: 'ok', connection: { apiKey: null, baseURL: undefined, wireModel: parsed.name } };
  }
}

/** A model id of a role chain that cannot be used as configured. */
export interface CredentialProblem {
  role: string;
  modelId: string;
  variable: string | null;
  message: string;
}

/**
 * Checks every model of every role chain (or of the roles given) before any agent starts, so that a missing
 * key is reported up front with the variable to set instead of failing an agent hours into a run. A role is
 * resolved as the router resolves it: its own chain, else the `default` chain.
 */
export function checkCredentials(
  config: ModelsConfig,
  env: NodeJS.ProcessEnv,
  roles: readonly string[] = Object.keys(config.roles),
): CredentialProblem[] {
  const problems: CredentialProblem[] = [];
  for (const role of roles) {
    const resolved = resolveRoleChain(config.roles, role);
    // a role served by an engine alone needs no model key: the engine's own check asks for its key
    if (resolved.type === 'missing' && servedByEngineAlone(config, role)) continue;
    if (resolved.type === 'missing') {
      problems.push({ role, modelId: '', variable: null, message: resolved.message });
      continue;
    }
    for (const modelId of resolved.chain) {
      let parsed: ParsedModelId;
      try {
        parsed = parseModelId(modelId);
      } catch (error) {
        problems.push({ role, modelId, variable: null, message: (error as Error).message });
        continue;
      }
      const result = resolveConnection(parsed, config, env);
      if (result.type === 'missing') {
        problems.push({ role, modelId, variable: result.variable, message: result.message });
      }
    }
  }
  return problems;
}

/** Which key and base-URL variables cadre would read for the configured providers, and whether each is set. */
export function describeKeys(config: ModelsConfig, env: NodeJS.ProcessEnv): KeyStatus[] {
  const variables: Array<{ provider: string; variable: string | undefined }> = [
    { provider: 'openai', variable: config.providers.openai?.apiKeyEnv ?? 'OPENAI_API_KEY' },
    { provider: 'openai', variable: config.providers.openai?.baseURLEnv ?? 'OPENAI_BASE_URL' },
    { provider: 'anthropic', variable: config.providers.anthropic?.apiKeyEnv ?? 'ANTHROPIC_API_KEY' },
    { provider: 'anthropic', variable: config.providers.anthropic?.baseURLEnv ?? 'ANTHROPIC_BASE_URL' },
    ...Object.entries(config.compatible).flatMap(([name, server]) => [
      { provider: `openai-compatible:${name}`, variable: server.apiKeyEnv },
      { provider: `openai-compatible:${name}`, variable: server.baseURLEnv },
    ]),
  ];
  return variables.flatMap(({ provider, variable }) =>
    variable === undefined ? [] : [{ provider, variable, present: read(env, variable) !== undefined }],
  );
}

function servedByEngineAlone(config: ModelsConfig, role: string): boolean {
  const chain = settingForRole(config.roles, role) ?? [];
  return chain.length > 0 && chain.every(isEngineEntry);
}
