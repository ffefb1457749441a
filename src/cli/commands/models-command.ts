import type { Command } from 'commander';
import {
  checkCredentials,
  costOf,
  createConfiguredRouter,
  createModel,
  createPriceTable,
  isModelError,
  type Model,
  type ModelRequest,
  parseModelId,
  resolveConnection,
  resolveRoleChain,
} from '../../llm/index.ts';
import type { ModelsConfig } from '../../protocol/index.ts';
import { describeModels, formatModelsReport } from './describe-models.ts';
import { loadModelsConfigFile } from './load-models-config.ts';

/** Where the command writes and what environment it reads. */
export interface ModelsCommandIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** Receives the exit code on failure; sets process.exitCode when omitted. */
  setExitCode?: (code: number) => void;
}

/** Seams for tests and for a CLI that loads its config its own way. */
export interface ModelsCommandOptions {
  /** Loads the models config; the default reads `--config <file>` or ./cadre.config.json. */
  loadConfig?: (path: string | undefined) => Promise<ModelsConfig>;
  fetch?: typeof globalThis.fetch;
}

/** A ping answers whether a model works now; riding out a long outage is for agents, not for this check. */
const pingRetryBudgetMs = 30_000;

const pingRequest: ModelRequest = {
  system: 'You are being pinged by cadre to check connectivity. Answer in one word.',
  messages: [{ role: 'user', content: 'Reply with the single word: pong' }],
  maxOutputTokens: 200,
};

/** Picks the model to ping (a role's routed chain or one model id), or explains why it cannot be used. */
function pingTarget(
  target: string,
  config: ModelsConfig,
  io: ModelsCommandIo,
  options: ModelsCommandOptions,
): { type: 'ok'; model: Model } | { type: 'error'; message: string } {
  const common = { config, env: io.env, ...(options.fetch === undefined ? {} : { fetch: options.fetch }) };
  if (!target.includes(':')) {
    const resolved = resolveRoleChain(config.roles, target);
    if (resolved.type === 'missing') {
      const known = Object.keys(config.roles).join(', ') || 'none configured';
      return {
        type: 'error',
        message: `"${target}" is neither a model id nor a configured role (roles: ${known}), and there is no "default" chain`,
      };
    }
    if (resolved.type === 'default') io.stderr(`note: role ${target} is served by the default chain\n`);
    const problems = checkCredentials(config, io.env, [target]);
    if (problems.length === resolved.chain.length)
      return { type: 'error', message: problems.map((problem) => problem.message).join('\n') };
    for (const problem of problems) io.stderr(`warning: fallback unusable: ${problem.message}\n`);
    const maxElapsedMs = Math.min(config.retry.maxElapsedMs, pingRetryBudgetMs);
    const router = createConfiguredRouter({
      ...common,
      config: { ...config, retry: { ...config.retry, maxElapsedMs } },
      onEvent: (event) => io.stderr(`router: ${JSON.stringify(event)}\n`),
    });
    return { type: 'ok', model: router.modelFor(target) };
  }
  const parsed = parseModelId(target);
  const connection = resolveConnection(parsed, config, io.env);
  if (connection.type === 'missing') return { type: 'error', message: connection.message };
  return { type: 'ok', model: createModel(target, common) };
}

/** Registers `cadre models [--json]` and `cadre models ping <role|model-id>` on a commander program. */
export function registerModelsCommand(
  program: Command,
  io: ModelsCommandIo,
  options: ModelsCommandOptions = {},
): void {
  const fail = (message: string) => {
    io.stderr(`${message}\n`);
    if (io.setExitCode) io.setExitCode(1);
    else process.exitCode = 1;
  };
  const load = options.loadConfig ?? loadModelsConfigFile;

  const models = program
    .command('models')
    .description('list roles, their model chains, prices and which API keys are set (keys are never printed)')
    .option('--json', 'print JSON')
    .option('--config <file>', 'models config (JSON; its "models" key or the whole file)')
    .action(async (flags: { json?: boolean; config?: string }) => {
      let config: ModelsConfig;
      try {
        config = await load(flags.config);
      } catch (error) {
        fail((error as Error).message);
        return;
      }
      const report = describeModels(config, io.env);
      io.stdout(flags.json ? `${JSON.stringify(report, null, 2)}\n` : formatModelsReport(report));
    });

  models
    .command('ping <target>')
    .description(
      'send one tiny request to a role (through its fallback chain) or a model id; print latency and usage',
    )
    .option('--json', 'print JSON')
    .option('--config <file>', 'models config (JSON; its "models" key or the whole file)')
    .action(async (target: string, flags: { json?: boolean; config?: string }) => {
      // Commander hands flags written after the subcommand to the parent when both declare them.
      const parentFlags = models.opts<{ json?: boolean; config?: string }>();
      const json = flags.json ?? parentFlags.json ?? false;
      let config: ModelsConfig;
      let picked: ReturnType<typeof pingTarget>;
      try {
        config = await load(flags.config ?? parentFlags.config);
        picked = pingTarget(target, config, io, options);
      } catch (error) {
        fail((error as Error).message);
        return;
      }
      if (picked.type === 'error') {
        fail(`cannot ping ${target}: ${picked.message}`);
        return;
      }
      try {
        const response = await picked.model.generate(pingRequest, { signal: new AbortController().signal });
        const cost = costOf(createPriceTable(config.pricing), response.modelId, response.usage);
        if (json) {
          io.stdout(`${JSON.stringify({ target, ...response, costUsd: cost }, null, 2)}\n`);
          return;
        }
        const { usage } = response;
        io.stdout(
          [
            `model:    ${response.modelId}${response.providerModel === null ? '' : ` (provider reports ${response.providerModel})`}`,
            `latency:  ${response.latencyMs} ms`,
            `usage:    ${usage.inputTokens} in (${usage.cachedInputTokens} cached), ${usage.outputTokens} out (${usage.reasoningTokens} reasoning)`,
            `cost:     ${cost === null ? 'unknown (no price for this model)' : `$${cost.toFixed(6)}`}`,
            `finish:   ${response.finishReason}`,
            `reply:    ${JSON.stringify(response.text.slice(0, 200))}`,
            '',
          ].join('\n'),
        );
      } catch (error) {
        fail(
          isModelError(error)
            ? `ping failed (${error.type}): ${error.message}`
            : `ping failed: ${String(error)}`,
        );
      }
    });
}
