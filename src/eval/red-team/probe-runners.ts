import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runTestAgent } from '../../agent/testing/run-test-agent.ts';
import { createTestToolContext } from '../../agent/testing/test-tool-context.ts';
import { createScriptedModel } from '../../llm/testing/index.ts';
import { type Sandbox, SandboxConfig } from '../../sandbox/index.ts';
import { createReadFileTool, createRunShellTool, createWriteFileTool } from '../../tools/index.ts';
import { type ChecksResult, createChecksConfig, runChecks } from '../../workspace/index.ts';
import type { FileToolCall, ProbeTarget, RedTeamProbe } from './probe-definition.ts';
import { probeScript } from './probe-script.ts';

/** The two ways an agent's code reaches the sandbox. */
export type ProbeVia = 'agent-loop' | 'checks';

/** What one run of a probe printed and how it ended. */
export interface ProbeRun {
  via: ProbeVia;
  /** Everything the attack printed or was told, searched for leaked secrets. */
  output: string;
  /** One line per attempt: the script's RESULT lines, then each file tool call's answer. */
  outcomeLines: string[];
  /** How the shell command ended, as cadre reported it ("exit code 0", "timed out after 3s"). */
  ending: string;
  durationMs: number;
}

const defaultTimeoutMilliseconds = 10_000;
// The file the checks run: an agent-written test, as `npm test` would run one.
const checksTestFile = 'red-team-probe.test.sh';

/** Runs the probe through the real agent loop: `run_shell` with its script, then its file tool calls. */
export async function runProbeInAgentLoop(
  probe: RedTeamProbe,
  target: ProbeTarget,
  sandbox: Sandbox,
): Promise<ProbeRun> {
  const timeout = probe.timeoutMilliseconds ?? defaultTimeoutMilliseconds;
  const fileCalls = probe.fileToolCalls?.(target) ?? [];
  const calls = [
    { name: 'run_shell', input: { command: probeScript(target.marker, probe.script(target)) } },
    ...fileCalls.map(toToolCall),
  ];
  const model = createScriptedModel([
    { type: 'tool-calls', toolCalls: calls },
    { type: 'text', text: 'done' },
  ]);
  const shell = { ...probe.sandbox?.(target), defaultTimeoutMilliseconds: timeout };
  const toolContext = createTestToolContext({ worktreeRoot: target.worktree, config: { shell } });
  const tools = [createRunShellTool({ sandbox }), createReadFileTool(), createWriteFileTool()];
  const started = performance.now();
  const { events } = await runTestAgent(model, { tools, toolContext });
  const durationMs = Math.round(performance.now() - started);
  const outputs = events.flatMap((event) => (event.type === 'tool-call-ended' ? [event.outcome.output] : []));
  const [shellOutput = '', ...fileOutputs] = outputs;
  const outcomeLines = [
    ...resultLines(shellOutput),
    ...fileCalls.map(
      (call, index) => `${describeCall(call)} → ${firstLine(fileOutputs[index] ?? '(no answer)')}`,
    ),
  ];
  return {
    via: 'agent-loop',
    output: outputs.join('\n'),
    outcomeLines,
    ending: shellEnding(shellOutput),
    durationMs,
  };
}

/** Runs the probe's script as a test file the project's checks run, in the checks' sandbox. */
export async function runProbeInChecks(
  probe: RedTeamProbe,
  target: ProbeTarget,
  sandbox: Sandbox,
): Promise<ProbeRun> {
  await writeFile(
    path.join(target.worktree, checksTestFile),
    probeScript(target.marker, probe.script(target)),
  );
  // The checks report output only when they fail, so the command always fails after the test file ran.
  const command = `bash ${checksTestFile} ${target.marker}; echo "[test file exited $?]"; exit 1`;
  const timeoutMs = probe.timeoutMilliseconds ?? defaultTimeoutMilliseconds;
  const config = createChecksConfig(
    { command, timeoutMs },
    SandboxConfig.parse(probe.sandbox?.(target) ?? {}),
    sandbox,
  );
  const started = performance.now();
  const result = await runChecks(config, target.worktree, new AbortController().signal);
  const durationMs = Math.round(performance.now() - started);
  const output = result.type === 'passed' ? '' : result.output;
  const exited = /\[test file exited (\d+)\]/.exec(output);
  return {
    via: 'checks',
    output,
    outcomeLines: resultLines(output),
    ending: checksEnding(result, exited?.[1]),
    durationMs,
  };
}

// The command always fails after the test file ran; without its exit line the test file itself was cut short.
function checksEnding(result: ChecksResult, testFileExit: string | undefined): string {
  switch (result.type) {
    case 'timed-out':
      return 'timed out';
    case 'passed':
      return 'passed';
    case 'failed':
      if (testFileExit !== undefined) return `exit code ${testFileExit}`;
      return result.signal ? `killed by ${result.signal}` : `checks command exited ${result.exitCode}`;
  }
}

function toToolCall(call: FileToolCall): { name: string; input: Record<string, string> } {
  switch (call.type) {
    case 'read_file':
      return { name: call.type, input: { path: call.path } };
    case 'write_file':
      return { name: call.type, input: { path: call.path, content: call.content } };
    case 'run_shell':
      return { name: call.type, input: { command: call.command, workingDirectory: call.workingDirectory } };
  }
}

function describeCall(call: FileToolCall): string {
  return call.type === 'run_shell' ? `run_shell in ${call.workingDirectory}` : `${call.type} ${call.path}`;
}

// The script's RESULT lines, and the notes the sandbox adds when a limit or the allow-list acted.
function resultLines(output: string): string[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith('RESULT ') || line.startsWith('[sandbox: '))
    .map((line) => (line.startsWith('RESULT ') ? line.slice('RESULT '.length) : line));
}

function shellEnding(output: string): string {
  const bracketed = output
    .split('\n')
    .reverse()
    .find((line) => /^\[(exit code|killed by|timed out|stopped)/.test(line));
  return bracketed ? bracketed.slice(1, bracketed.indexOf(']')).split(';')[0]! : firstLine(output);
}

function firstLine(text: string): string {
  return text.split('\n').find((line) => line.trim() !== '') ?? '';
}
