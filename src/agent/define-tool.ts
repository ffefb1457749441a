import { z } from 'zod';
import type { ToolConfig } from './tool-config.ts';
import type { ToolCounters } from './tool-counters.ts';
import { FatalToolError, ToolError } from './tool-errors.ts';
import { truncateOutput } from './truncate-output.ts';

/** What a tool's own `execute` returns when it succeeds. */
export interface ToolResult {
  /** Text for the model. */
  output: string;
  /** Structured facts for people (transcripts, dashboard); never sent to the model. */
  details: unknown;
}

/** Everything a tool may use besides its input; one per agent. */
export interface ToolContext {
  /** Absolute path of the agent's worktree; every path a tool touches stays inside it. */
  worktreeRoot: string;
  /**
   * The same directory with every symlink resolved, when the caller resolved it once (the fleet does,
   * per agent); without it every path a tool confines costs another realpath of the root.
   */
  resolvedWorktreeRoot?: string;
  /** Aborted when the agent is stopped; long-running tools must end promptly when it fires. */
  signal: AbortSignal;
  /** The agent's tool-use tallies, updated in place. */
  counters: ToolCounters;
  config: ToolConfig;
  /**
   * Called before each shell command: readies the worktree again when its lock files changed (the
   * agent edited one) and returns lines to show with the command's output. Absent without a setup.
   */
  prepareCommand?: (signal: AbortSignal) => Promise<string[]>;
}

/** What a tool author writes. */
export interface ToolDefinition<Schema extends z.ZodType> {
  /** Name the model calls the tool by (snake_case by convention). */
  name: string;
  /** What the tool does and when to use it, for the model. */
  description: string;
  inputSchema: Schema;
  /** Overrides the context's output cap for this tool. */
  outputCapCharacters?: number;
  /** Blocks until the world changes or a timeout passes (wait_for_changes); the stuck detector does not count its repeats. */
  waits?: boolean;
  /** Does the work; throws ToolError for a failure the model should see, FatalToolError to end the agent. */
  execute(input: z.output<Schema>, context: ToolContext): Promise<ToolResult>;
}

/** How one tool call ended, as the model and the transcript see it. */
export type ToolOutcome =
  | { type: 'success'; output: string; details: unknown; cutCharacters: number }
  | { type: 'invalid-input'; output: string; issues: string[] }
  | { type: 'unknown-tool'; output: string; toolName: string }
  | { type: 'tool-error'; output: string; details: unknown }
  | { type: 'aborted'; output: string };

/** A tool ready to be offered to a model and called with unchecked input. */
export interface Tool {
  name: string;
  description: string;
  /** The input schema as JSON Schema (draft-07), what model providers expect. */
  inputJsonSchema: Record<string, unknown>;
  /** Blocks until the world changes or a timeout passes; the stuck detector does not count its repeats. */
  waits?: boolean;
  /** Validates the input, runs the tool and turns every non-fatal failure into an outcome. */
  execute(input: unknown, context: ToolContext): Promise<ToolOutcome>;
}

// A pure memo of a pure function: tools that hold per-agent state are defined once per agent, and
// converting the same (module-level) input schema again for each of a thousand agents is wasted work.
const jsonSchemas = new WeakMap<z.ZodType, Record<string, unknown>>();

function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  let converted = jsonSchemas.get(schema);
  if (!converted) {
    converted = z.toJSONSchema(schema, { io: 'input', target: 'draft-07' }) as Record<string, unknown>;
    jsonSchemas.set(schema, converted);
  }
  return converted;
}

/** Wraps a tool definition with input validation, error capture and output truncation. */
export function defineTool<Schema extends z.ZodType>(definition: ToolDefinition<Schema>): Tool {
  const inputJsonSchema = jsonSchemaOf(definition.inputSchema);
  return {
    name: definition.name,
    description: definition.description,
    inputJsonSchema: inputJsonSchema as Record<string, unknown>,
    ...(definition.waits ? { waits: true } : {}),
    async execute(input, context) {
      const parsed = definition.inputSchema.safeParse(input);
      if (!parsed.success) return invalidInputOutcome(definition.name, parsed.error);
      const cap = definition.outputCapCharacters ?? context.config.outputCapCharacters;
      try {
        const result = await definition.execute(parsed.data, context);
        const truncated = truncateOutput(result.output, cap);
        return {
          type: 'success',
          output: truncated.text,
          details: result.details,
          cutCharacters: truncated.cutCharacters,
        };
      } catch (error) {
        if (error instanceof FatalToolError) throw error;
        if (context.signal.aborted)
          return { type: 'aborted', output: `${definition.name} was stopped before it finished.` };
        const details = error instanceof ToolError ? error.details : { error: String(error) };
        const message =
          error instanceof ToolError
            ? error.message
            : `${definition.name} failed unexpectedly: ${describe(error)}`;
        return { type: 'tool-error', output: truncateOutput(`Error: ${message}`, cap).text, details };
      }
    },
  };
}

/** Builds the outcome for input that failed validation, phrased so the model can fix its call. */
export function invalidInputOutcome(toolName: string, error: z.ZodError): ToolOutcome {
  const issues = error.issues.map((issue) => {
    const where = issue.path.length === 0 ? 'input' : issue.path.map(String).join('.');
    return `${where}: ${issue.message}`;
  });
  const output = `Invalid input for ${toolName}:\n${issues.map((issue) => `- ${issue}`).join('\n')}\nFix the input and call the tool again.`;
  return { type: 'invalid-input', output, issues };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
