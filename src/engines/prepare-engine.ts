import { isIP } from 'node:net';
import { anthropicDefaultBaseURL, openaiDefaultBaseURL, resolveConnection } from '../llm/index.ts';
import type { EngineRef, EngineSettings, ModelsConfig } from '../protocol/index.ts';
import type { SandboxNetwork } from '../sandbox/index.ts';
import type { EngineAdapter, EngineConnection } from './engine-adapter.ts';
import { engineAdapters } from './engine-registry.ts';
import { type EngineProgram, findEngineProgram } from './find-engine-program.ts';

/** An engine ready to serve a role: its program found, its key and API host known. */
export interface EngineRoute {
  ref: EngineRef;
  adapter: EngineAdapter;
  program: EngineProgram;
  connection: EngineConnection;
  settings: EngineSettings;
  /** The program's network: its API host only, through the sandbox's allow-list proxy. */
  network: SandboxNetwork;
}

/** A ready engine, or the one message that says what to install or set. */
export type PreparedEngine = { type: 'ready'; route: EngineRoute } | { type: 'problem'; message: string };

/**
 * Gets an engine ready before any agent starts: finds its program (recent enough), its key (only
 * that variable will reach the program) and the API host its network is limited to. The key and
 * base URL come from the same places as cadre's own models for that provider.
 */
export async function prepareEngine(
  ref: EngineRef,
  models: ModelsConfig,
  env: NodeJS.ProcessEnv,
  signal: AbortSignal,
): Promise<PreparedEngine> {
  const adapter = engineAdapters[ref.engine];
  const settings = models.engines[ref.engine];
  const connection = engineConnection(adapter, ref, models, env);
  if (connection.type === 'problem') return connection;
  const lookup = await findEngineProgram(adapter, settings.program, signal);
  if (lookup.type !== 'found') return { type: 'problem', message: lookup.message };
  const { apiKey, baseURL } = connection;
  return {
    type: 'ready',
    route: {
      ref,
      adapter,
      program: lookup.program,
      connection: { baseURL, apiKey },
      settings,
      network: { type: 'allow-list', hosts: [apiHost(baseURL)] },
    },
  };
}

/** `host:port` of a base URL, as the allow-list writes it (IPv6 in brackets). */
export function apiHost(baseURL: string): string {
  const url = new URL(baseURL);
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}

// Google's API root: the Gemini SDK appends /v1beta/models/… itself
const googleDefaultBaseURL = 'https://generativelanguage.googleapis.com';

/** The engine's key and API base URL: from the models config and environment, as cadre's own models read them. */
function engineConnection(
  adapter: EngineAdapter,
  ref: EngineRef,
  models: ModelsConfig,
  env: NodeJS.ProcessEnv,
): { type: 'ready'; apiKey: string; baseURL: string } | { type: 'problem'; message: string } {
  const missing = {
    type: 'problem' as const,
    message: `engine ${ref.engine} needs its key: set ${adapter.keyVariable}`,
  };
  // cadre has no Google models of its own: a Gemini engine reads Gemini CLI's own variables
  if (adapter.provider === 'google') {
    const apiKey = env[adapter.keyVariable];
    if (!apiKey) return missing;
    return { type: 'ready', apiKey, baseURL: env.GOOGLE_GEMINI_BASE_URL || googleDefaultBaseURL };
  }
  const connection = resolveConnection(
    { type: adapter.provider, name: ref.model ?? 'default', id: ref.id },
    models,
    env,
  );
  if (connection.type === 'missing')
    return { type: 'problem', message: `engine ${ref.engine} needs its key: ${connection.message}` };
  if (connection.connection.apiKey === null) return missing;
  const baseURL =
    connection.connection.baseURL ??
    (adapter.provider === 'anthropic' ? anthropicDefaultBaseURL : openaiDefaultBaseURL);
  return { type: 'ready', apiKey: connection.connection.apiKey, baseURL };
}
