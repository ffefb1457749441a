import type { ModelUsage } from '../llm/index.ts';
import type { EngineName } from '../protocol/index.ts';

/** Where the engine's model API is and the key it is given (only its own key variable reaches it). */
export interface EngineConnection {
  /** The provider's base URL as cadre's models config has it (`…/v1`), or null for the provider's own. */
  baseURL: string | null;
  apiKey: string;
}

/** One run of the program: a fresh session with the briefing, or a resumed one with a new message. */
export interface EngineTurnRequest {
  /** The program to run (an absolute path). */
  programPath: string;
  /** The message of this run: the whole briefing first, then conflict reports, steering, "go on". */
  prompt: string;
  /** The session to resume, null for a new one. */
  sessionId: string | null;
  /** The model the program is told to use, null for its own default. */
  model: string | null;
  /** The worker's worktree: the program's working directory and the one tree it may write. */
  worktreePath: string;
  /**
   * A directory kept for the agent's whole life, outside the worktree, writable in the sandbox: the
   * program's home for its configuration and sessions, so a later run can resume them.
   */
  stateDirectory: string;
  connection: EngineConnection;
  maxTurns: number;
  /** Dollars the agent's budget has left, for programs that stop themselves at a spend (null: no limit). */
  maxBudgetUsd: number | null;
}

/** How to start the program for one run. */
export interface EngineLaunch {
  /** The command line; argv[0] is the program. */
  argv: string[];
  /** Variables the program gets on top of the sandbox's minimal environment (its key, base URL, homes). */
  environment: Record<string, string>;
}

/** A tool call an engine's model made, as cadre's events show it. */
export interface EngineToolCall {
  id: string;
  name: string;
  input: unknown;
}

/** What an engine's output stream says, mapped to cadre's vocabulary. */
export type EngineEvent =
  /** The program's session id (kept for resume) and the model it runs. */
  | { type: 'session'; sessionId: string; modelId: string | null }
  /** One model call, with the tokens the provider reported for it. */
  | {
      type: 'model-turn';
      modelId: string;
      text: string;
      toolCalls: EngineToolCall[];
      usage: ModelUsage;
    }
  | { type: 'tool-started'; id: string; name: string; input: unknown }
  | { type: 'tool-ended'; id: string; name: string; output: string; isError: boolean }
  /** The run's last answer: the text that becomes the handoff. `isError` when the program says it failed. */
  | { type: 'final'; text: string; isError: boolean; detail: string | null }
  /** A line the program wrote that is none of the above and worth keeping (a warning, an error). */
  | { type: 'notice'; message: string };

/** Turns the program's stdout, line by line, into events; one parser per run. */
export interface EngineStreamParser {
  /** One line of stdout (without the newline); lines that are not the program's JSON become notices. */
  line(text: string): EngineEvent[];
  /** The stream ended: whatever a half-finished turn still holds. */
  end(): EngineEvent[];
}

/** One external agent program: how to check it, start it and read it. */
export interface EngineAdapter {
  name: EngineName;
  /** Whose API the program calls, so cadre knows which provider's connection to give it. */
  provider: 'anthropic' | 'openai' | 'google';
  /** The one environment variable of the user's that the program may see: its key. */
  keyVariable: string;
  /** The program's name in node_modules/.bin or on PATH. */
  programName: string;
  /** The npm package that installs it, for the message when it is missing. */
  packageName: string;
  /** The oldest version cadre was tested with. */
  minimumVersion: string;
  /** Arguments that print the version, and how to find it in their output (null: not recognised). */
  versionArgs: readonly string[];
  parseVersion(output: string): string | null;
  launch(request: EngineTurnRequest): EngineLaunch;
  /** Whether a session the program named is on disk in its state directory, so a run can resume it. */
  sessionExists(stateDirectory: string, sessionId: string): boolean;
  /** A parser for one run; it may read the engine's state directory (a resumed session's totals so far). */
  createParser(request: EngineTurnRequest): EngineStreamParser;
}
