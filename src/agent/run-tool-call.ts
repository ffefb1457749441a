import type { Tool, ToolContext, ToolOutcome } from './define-tool.ts';

/** A tool call as the model made it; structurally compatible with the llm module's ModelToolCall. */
export interface ToolCall {
  id: string;
  name: string;
  /** The parsed JSON input. */
  input: unknown;
  /** Set when the model's input was not valid JSON. */
  inputError?: string | null;
}

/**
 * Runs one tool call against a set of tools: reports unknown tools and unparseable input as outcomes,
 * counts every call and failure on the context's counters, and rethrows only FatalToolError.
 */
export async function runToolCall(
  tools: readonly Tool[],
  call: ToolCall,
  context: ToolContext,
): Promise<ToolOutcome> {
  const { counters } = context;
  counters.toolCalls += 1;
  const tool = tools.find((candidate) => candidate.name === call.name);
  const outcome = tool ? await executeKnown(tool, call, context) : unknownToolOutcome(tools, call.name);
  switch (outcome.type) {
    case 'success':
    case 'aborted':
      break;
    case 'invalid-input':
      counters.invalidInput += 1;
      break;
    case 'unknown-tool':
      counters.unknownTool += 1;
      break;
    case 'tool-error':
      counters.toolErrors += 1;
      break;
    default:
      return assertNever(outcome);
  }
  return outcome;
}

/** The definitions to send to a model: name, description and JSON Schema input of each tool. */
export function toolDefinitions(
  tools: readonly Tool[],
): { name: string; description: string; inputSchema: Record<string, unknown> }[] {
  return tools.map((tool) => ({
    name: tool.name,
    description: tool.description,
    inputSchema: tool.inputJsonSchema,
  }));
}

async function executeKnown(tool: Tool, call: ToolCall, context: ToolContext): Promise<ToolOutcome> {
  if (call.inputError) {
    const output = `The input for ${tool.name} was not valid JSON (${call.inputError}). Send the input as one JSON object.`;
    return { type: 'invalid-input', output, issues: [call.inputError] };
  }
  return tool.execute(call.input, context);
}

function unknownToolOutcome(tools: readonly Tool[], toolName: string): ToolOutcome {
  const names = tools.map((tool) => tool.name).join(', ');
  return {
    type: 'unknown-tool',
    output: `There is no tool named "${toolName}". Available tools: ${names}.`,
    toolName,
  };
}

function assertNever(value: never): never {
  throw new Error(`unhandled tool outcome ${JSON.stringify(value)}`);
}
