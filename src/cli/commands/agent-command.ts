import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { Command } from 'commander';
import {
  type AgentEvent,
  type AgentResult,
  createToolCounters,
  describeAgentEndReason,
  describeAgentEvent,
  parseToolConfig,
  runAgentLoop,
  walkthroughPolicy,
} from '../../agent/index.ts';
import {
  checkCredentials,
  costOf,
  createConfiguredRouter,
  createPriceTable,
  createSimPolicyRegistry,
  type Model,
  parseModelId,
  parseModelsConfig,
  resolveConnection,
} from '../../llm/index.ts';
import type { ModelsConfig } from '../../protocol/index.ts';
import { createWorkspaceTools } from '../../tools/index.ts';
import { type CliIo, parsePositiveInteger, printJson, UsageError } from '../cli-io.ts';
import { loadModelsConfigFile } from './load-models-config.ts';

const execFileAsync = promisify(execFile);

/** The model `cadre agent` uses without --model: a labeled simulation that needs no key. */
export const defaultAgentModel = 'sim:walkthrough';

const systemPrompt =
  'You are a coding agent working alone in a git worktree. Use the tools to do the task; paths are relative ' +
  'to the worktree root. Make small, careful changes and check them. When the task is done, reply with a short ' +
  'summary of what you did and no tool calls.';

interface AgentFlags {
  repo: string;
  task: string;
  model: string;
  config?: string;
  json?: boolean;
  maxSteps: string;
  maxTokens?: string;
  maxDollars?: string;
  maxSeconds?: string;
  contextWindow: string;
  allowUnsandboxed?: boolean;
  allowNetwork?: boolean;
}

/** Registers `cadre agent`: one agent on a repository, its transcript as it goes, and a summary. */
export function registerAgentCommand(program: Command, io: CliIo): void {
  program
    .command('agent')
    .description('run one agent on a repository (in a throwaway git worktree when it is a git repository)')
    .requiredOption('--repo <dir>', 'the repository or directory to work on')
    .requiredOption('--task <text>', 'what the agent should do')
    .option('--model <id|role>', 'a model id or a role of the models config', defaultAgentModel)
    .option('--config <file>', 'models config (JSON; default ./cadre.config.json when present)')
    .option('--json', 'print events and the summary as JSON lines')
    .option('--max-steps <n>', 'model calls before the agent is ended', '30')
    .option('--max-tokens <n>', 'input plus output tokens before the agent is ended')
    .option('--max-dollars <x>', 'dollars before the agent is ended')
    .option('--max-seconds <n>', 'wall time before the agent is ended')
    .option('--context-window <n>', "the model's context window in tokens", '128000')
    .option('--allow-unsandboxed', 'run shell commands without a sandbox when bubblewrap is unavailable')
    .option('--allow-network', 'let sandboxed shell commands use the network')
    .action(async (flags: AgentFlags) => {
      const windowTokens = parsePositiveInteger('--context-window', flags.contextWindow);
      if (windowTokens < 4_000) throw new UsageError('--context-window must be at least 4000');
      const budget = {
        maxSteps: parsePositiveInteger('--max-steps', flags.maxSteps),
        ...(flags.maxTokens ? { maxTokens: parsePositiveInteger('--max-tokens', flags.maxTokens) } : {}),
        ...(flags.maxDollars ? { maxDollars: parseDollars(flags.maxDollars) } : {}),
        ...(flags.maxSeconds
          ? { maxWallTimeMs: parsePositiveInteger('--max-seconds', flags.maxSeconds) * 1000 }
          : {}),
      };
      const repo = resolve(io.cwd, flags.repo);
      if (!(await stat(repo).catch(() => null))?.isDirectory())
        throw new UsageError(`--repo ${flags.repo} is not a directory`);
      const config = await loadConfig(io, flags.config);
      const model = buildModel(flags.model, config, io.env);
      const workspace = await prepareWorkspace(repo);
      const print = createTranscriptPrinter(io, flags.json === true);
      print.header(flags.model, workspace);
      let result: AgentResult;
      let changes: string[] = [];
      try {
        const prices = createPriceTable(config.pricing);
        result = await runAgentLoop({
          model,
          tools: createWorkspaceTools(),
          toolContext: {
            worktreeRoot: workspace.root,
            counters: createToolCounters(),
            config: parseToolConfig({
              shell: {
                allowUnsandboxed: flags.allowUnsandboxed === true,
                allowNetwork: flags.allowNetwork === true,
              },
            }),
          },
          system: systemPrompt,
          task: flags.task,
          budget,
          context: { windowTokens, reservedOutputTokens: Math.min(16_000, Math.floor(windowTokens / 4)) },
          costOf: (modelId, usage) => costOf(prices, modelId, usage),
          signal: io.signal,
          onEvent: print.event,
          ...(flags.json ? {} : { onTextDelta: print.textDelta }),
        });
        changes = await changedFiles(workspace.root);
      } finally {
        await workspace.cleanup();
      }
      print.summary(result, changes, workspace);
      if (result.reason.type === 'model-error' || result.reason.type === 'fatal-tool-error')
        throw new Error(`the agent ended with ${result.reason.type}: ${result.reason.message}`);
    });
}

function parseDollars(value: string): number {
  const dollars = Number(value);
  if (!Number.isFinite(dollars) || dollars <= 0)
    throw new UsageError(`--max-dollars must be a positive number, not "${value}"`);
  return dollars;
}

async function loadConfig(io: CliIo, file: string | undefined): Promise<ModelsConfig> {
  const path = resolve(io.cwd, file ?? 'cadre.config.json');
  if (file === undefined && !existsSync(path)) return parseModelsConfig({});
  return loadModelsConfigFile(path);
}

/** A routed model (retries and fallbacks) for a model id or a configured role; keys are checked first. */
function buildModel(spec: string, config: ModelsConfig, env: NodeJS.ProcessEnv): Model {
  const simPolicies = createSimPolicyRegistry([walkthroughPolicy]);
  let role = spec;
  let routed = config;
  if (spec.includes(':')) {
    let parsed: ReturnType<typeof parseModelId>;
    try {
      parsed = parseModelId(spec);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    if (parsed.type === 'sim' && !simPolicies.has(parsed.name))
      throw new UsageError(
        `no sim policy named "${parsed.name}"; known: ${[...simPolicies.keys()].join(', ')}`,
      );
    const connection = resolveConnection(parsed, config, env);
    if (connection.type === 'missing') throw new UsageError(`cannot run the agent: ${connection.message}`);
    role = 'cli-agent';
    routed = { ...config, roles: { ...config.roles, [role]: [spec] } };
  } else {
    const chain = config.roles[spec];
    if (chain === undefined)
      throw new UsageError(
        `--model ${spec} is neither a model id (provider:model) nor a role of the models config`,
      );
    const problems = checkCredentials(config, env, [spec]);
    if (problems.length === chain.length)
      throw new UsageError(`cannot run the agent: ${problems.map((problem) => problem.message).join('; ')}`);
  }
  return createConfiguredRouter({ config: routed, env, simPolicies }).modelFor(role);
}

/** Where the agent works, and how to clean up after it. */
interface Workspace {
  root: string;
  /** A throwaway git worktree (true) or the directory itself (false). */
  isolated: boolean;
  cleanup(): Promise<void>;
}

async function git(directory: string, ...args: string[]): Promise<string> {
  return (await execFileAsync('git', ['-C', directory, ...args], { encoding: 'utf8' })).stdout.trim();
}

/** A detached worktree of HEAD in a temp directory when `repo` is in a git repository, else `repo` itself. */
async function prepareWorkspace(repo: string): Promise<Workspace> {
  const topLevel = await git(repo, 'rev-parse', '--show-toplevel').catch(() => null);
  if (topLevel === null) return { root: repo, isolated: false, cleanup: async () => {} };
  if ((await git(repo, 'rev-parse', '--verify', '--quiet', 'HEAD').catch(() => null)) === null)
    throw new UsageError(`${repo} is a git repository without commits; commit something first`);
  const temporary = await mkdtemp(join(tmpdir(), 'cadre-agent-'));
  const worktree = join(temporary, 'worktree');
  await git(repo, 'worktree', 'add', '--detach', '--quiet', worktree, 'HEAD');
  return {
    root: join(worktree, relative(topLevel, repo)),
    isolated: true,
    async cleanup() {
      await git(repo, 'worktree', 'remove', '--force', worktree).catch(() => undefined);
      await rm(temporary, { recursive: true, force: true });
      await git(repo, 'worktree', 'prune').catch(() => undefined);
    },
  };
}

async function changedFiles(root: string): Promise<string[]> {
  const status = await git(root, 'status', '--short', '--untracked-files=all', '.').catch(() => '');
  return status === '' ? [] : status.split('\n');
}

function createTranscriptPrinter(io: CliIo, json: boolean) {
  const out = (text: string) => io.stdout(`${text}\n`);
  let streamed = false;
  return {
    header(modelSpec: string, workspace: Workspace) {
      const simulated = modelSpec.startsWith('sim:');
      if (json)
        return printJson(io, {
          type: 'agent-workspace',
          root: workspace.root,
          isolated: workspace.isolated,
          simulated,
        });
      if (simulated) out(`model ${modelSpec} — SIMULATION: a rule-following policy, not a language model`);
      out(
        workspace.isolated
          ? `working in a throwaway worktree ${workspace.root} (your working tree is not touched)`
          : `not a git repository: the agent works in ${workspace.root} directly`,
      );
    },
    textDelta(delta: string) {
      if (!streamed) io.stdout('  ');
      streamed = true;
      io.stdout(delta.replaceAll('\n', '\n  '));
    },
    event(event: AgentEvent) {
      if (json) return printJson(io, event);
      const line = describeAgentEvent(event, { textWasStreamed: streamed });
      if (event.type === 'model-call-ended') streamed = false;
      if (line !== null) out(line);
    },
    summary(result: AgentResult, changes: string[], workspace: Workspace) {
      const { totals, counters, reason } = result;
      const failures = {
        invalidInput: counters.invalidInput,
        unknownTool: counters.unknownTool,
        toolErrors: counters.toolErrors,
        missingPaths: counters.missingPathReferences,
      };
      if (json) {
        const summary = {
          type: 'agent-summary',
          reason,
          steps: totals.steps,
          toolCalls: counters.toolCalls,
          failures,
        };
        return printJson(io, {
          ...summary,
          usage: totals.usage,
          costUsd: totals.costUsd,
          unpricedCalls: totals.unpricedCalls,
          changes,
        });
      }
      const { usage } = totals;
      const unpriced =
        totals.unpricedCalls > 0 ? ` (+${totals.unpricedCalls} calls without a known price)` : '';
      out('\nsummary');
      out(`  end reason: ${describeAgentEndReason(reason)}`);
      out(`  steps: ${totals.steps}   tool calls: ${counters.toolCalls}`);
      out(
        `  failures: ${Object.entries(failures)
          .map(([kind, count]) => `${kind} ${count}`)
          .join(', ')}`,
      );
      out(`  tokens: ${usage.inputTokens} in (${usage.cachedInputTokens} cached), ${usage.outputTokens} out`);
      out(`  dollars: $${totals.costUsd.toFixed(4)}${unpriced}`);
      if (workspace.isolated)
        out(
          `  changes in the throwaway worktree (now removed): ${changes.length === 0 ? 'none' : changes.join('; ')}`,
        );
    },
  };
}
