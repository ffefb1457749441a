import { mkdir } from 'node:fs/promises';
import type { ProcessEnd, Sandbox, SandboxConfig, SandboxNetwork } from '../sandbox/index.ts';
import type { EngineAdapter, EngineEvent, EngineTurnRequest } from './engine-adapter.ts';

/** Options of runEngineProcess: one run of an engine's program, in the sandbox. */
export interface EngineProcessOptions {
  adapter: EngineAdapter;
  sandbox: Sandbox;
  /** The run's sandbox settings (limits, bubblewrap, unsandboxed fallback); network and mounts are set here. */
  sandboxConfig: SandboxConfig;
  /** The network the program gets: its API host only, as a rule. */
  network: SandboxNetwork;
  /** Host directories the program needs to read: its install (node_modules), mounted read-only. */
  programPaths: readonly string[];
  request: EngineTurnRequest;
  timeoutMs: number;
  signal: AbortSignal;
  onEvent: (event: EngineEvent) => void;
}

/** How one run of the program ended. */
export type EngineProcessEnd =
  | {
      type: 'ran';
      end: ProcessEnd;
      sandboxed: boolean;
      /** The stream's last `final`, null when the program ended without one (killed, crashed). */
      final: Extract<EngineEvent, { type: 'final' }> | null;
      sessionId: string | null;
      /** The end of the program's merged output, for the failure message. */
      outputTail: string;
    }
  | { type: 'refused'; reason: string };

/** Quotes one argument for `sh -c`. */
export function shellQuote(argument: string): string {
  return `'${argument.replaceAll("'", `'\\''`)}'`;
}

/**
 * Runs the engine's program once in the worktree, inside the sandbox: the worktree and the engine's
 * state directory writable, its install read-only, the network its adapter's API host only, and no
 * variable of cadre's environment but the ones the launch names. Stdout is parsed as it comes, and
 * each event is handed on at once, so the fleet sees the engine's turns while it works.
 */
export async function runEngineProcess(options: EngineProcessOptions): Promise<EngineProcessEnd> {
  const { adapter, request } = options;
  await mkdir(request.stateDirectory, { recursive: true });
  const launch = adapter.launch(request);
  const parser = adapter.createParser(request);
  let final: Extract<EngineEvent, { type: 'final' }> | null = null;
  let sessionId = request.sessionId;
  const hand = (events: EngineEvent[]) => {
    for (const event of events) {
      if (event.type === 'final') final = event;
      if (event.type === 'session') sessionId = event.sessionId;
      options.onEvent(event);
    }
  };
  let pending = '';
  const decoder = new TextDecoder();
  const onStdout = (chunk: Buffer) => {
    pending += decoder.decode(chunk, { stream: true });
    let newline = pending.indexOf('\n');
    while (newline !== -1) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      if (line.trim() !== '') hand(parser.line(line));
      newline = pending.indexOf('\n');
    }
  };
  const config: SandboxConfig = {
    ...options.sandboxConfig,
    network: options.network,
    extraReadOnlyPaths: [...options.sandboxConfig.extraReadOnlyPaths, ...options.programPaths],
    extraWritablePaths: [...options.sandboxConfig.extraWritablePaths, request.stateDirectory],
  };
  const run = await options.sandbox.run({
    command: `${launch.argv.map(shellQuote).join(' ')} < /dev/null`,
    worktreeRoot: request.worktreePath,
    workingDirectory: request.worktreePath,
    timeoutMilliseconds: options.timeoutMs,
    config,
    environment: launch.environment,
    signal: options.signal,
    onStdout,
  });
  if (run.type === 'refused') return run;
  if (pending.trim() !== '') hand(parser.line(pending));
  hand(parser.end());
  const output = run.result.output;
  return {
    type: 'ran',
    end: run.result.end,
    sandboxed: run.sandboxed,
    final,
    sessionId,
    outputTail: output.slice(-4000),
  };
}
