import { existsSync, readdirSync } from 'node:fs';
import type { EngineAdapter, EngineLaunch, EngineTurnRequest } from '../engine-adapter.ts';
import { createClaudeCodeParser } from './claude-code-stream.ts';

/**
 * The built-in tools the model gets (`--tools`, which removes every other one from its tool list) and
 * may use without asking (`--allowedTools`; with `-p` nobody can answer a permission prompt).
 * Left out: WebFetch and WebSearch (the sandbox lets only the API host through, so they could only
 * fail and waste turns); Task/Agent sub-agents (their own model calls come on lines marked with a
 * parent_tool_use_id that this adapter was never checked against, so cadre could miscount their
 * tokens, and they would work out of cadre's view);
 * EnterWorktree/ExitWorktree (cadre owns the worktree); the background and scheduling tools (Cron*,
 * ScheduleWakeup, Monitor), which outlive a `-p` run; Skill, Workflow, SendMessage and ToolSearch.
 */
export const claudeCodeTools = [
  'Bash',
  'Edit',
  'Write',
  'Read',
  'Glob',
  'Grep',
  'NotebookEdit',
  'TaskCreate',
  'TaskGet',
  'TaskList',
  'TaskUpdate',
] as const;

/** Claude Code takes the API's origin: it adds `/v1/messages` itself, so cadre's `…/v1` loses its `/v1`. */
export function claudeCodeBaseURL(baseURL: string): string {
  return baseURL.replace(/\/+$/, '').replace(/\/v1$/, '');
}

function launch(request: EngineTurnRequest): EngineLaunch {
  const tools = claudeCodeTools.join(',');
  const argv = [
    request.programPath,
    '-p',
    '--output-format',
    'stream-json',
    '--verbose',
    '--include-partial-messages',
    '--permission-mode',
    'acceptEdits',
    '--tools',
    tools,
    '--allowedTools',
    tools,
    '--max-turns',
    String(request.maxTurns),
    // no MCP servers: a worktree's .mcp.json could start programs that want a network the sandbox refuses
    '--strict-mcp-config',
  ];
  if (request.model !== null) argv.push('--model', request.model);
  // its own price list, not cadre's: cadre still stops the agent at its budget by its own count
  if (request.maxBudgetUsd !== null) argv.push('--max-budget-usd', request.maxBudgetUsd.toFixed(4));
  if (request.sessionId !== null) argv.push('--resume', request.sessionId);
  // the prompt last, after `--`: a prompt starting with "-" (a list, a quoted option) is not an option
  argv.push('--', request.prompt);
  const environment: Record<string, string> = {
    ANTHROPIC_API_KEY: request.connection.apiKey,
    // its settings, `.claude.json` and session transcripts: kept across runs, so --resume finds them
    CLAUDE_CONFIG_DIR: `${request.stateDirectory}/claude`,
    // the sandbox's home is a throwaway tmpfs, and unsandboxed it would be the user's own: the agent's
    // shell and anything the program keeps under ~ get a home of the agent's instead
    HOME: `${request.stateDirectory}/home`,
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_AUTOUPDATER: '1',
    DISABLE_TELEMETRY: '1',
    DISABLE_ERROR_REPORTING: '1',
    DISABLE_BUG_COMMAND: '1',
  };
  if (request.connection.baseURL !== null)
    environment.ANTHROPIC_BASE_URL = claudeCodeBaseURL(request.connection.baseURL);
  return { argv, environment };
}

/** Whether Claude Code saved the session: `<config>/projects/<working directory, mangled>/<id>.jsonl`. */
function sessionExists(stateDirectory: string, sessionId: string): boolean {
  const projects = `${stateDirectory}/claude/projects`;
  try {
    return readdirSync(projects).some((project) => existsSync(`${projects}/${project}/${sessionId}.jsonl`));
  } catch {
    return false;
  }
}

/** Claude Code (`@anthropic-ai/claude-code`), run with `-p` and read as stream-json. */
export const claudeCodeAdapter: EngineAdapter = {
  name: 'claude-code',
  provider: 'anthropic',
  keyVariable: 'ANTHROPIC_API_KEY',
  programName: 'claude',
  packageName: '@anthropic-ai/claude-code',
  minimumVersion: '2.1.0',
  versionArgs: ['--version'],
  parseVersion(output) {
    return /(\d+\.\d+\.\d+)/.exec(output)?.[1] ?? null;
  },
  launch,
  sessionExists,
  createParser: createClaudeCodeParser,
};
