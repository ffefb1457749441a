import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTool } from './define-tool.ts';
import { runToolCall, toolDefinitions } from './run-tool-call.ts';
import { createTestToolContext } from './testing/test-tool-context.ts';
import { toolRates } from './tool-counters.ts';
import { FatalToolError, ToolError } from './tool-errors.ts';

const tools = [
  defineTool({
    name: 'add',
    description: 'Add two numbers.',
    inputSchema: z.object({ left: z.number(), right: z.number() }),
    async execute(input) {
      return { output: String(input.left + input.right), details: null };
    },
  }),
  defineTool({
    name: 'divide',
    description: 'Divide two numbers.',
    inputSchema: z.object({ left: z.number(), right: z.number() }),
    async execute(input) {
      if (input.right === 0) throw new ToolError('cannot divide by zero');
      if (input.left === 13) throw new FatalToolError('unlucky');
      return { output: String(input.left / input.right), details: null };
    },
  }),
];

describe('runToolCall', () => {
  it('dispatches by name and counts every kind of call', async () => {
    const context = createTestToolContext();
    const success = await runToolCall(tools, { id: '1', name: 'add', input: { left: 1, right: 2 } }, context);
    const invalid = await runToolCall(tools, { id: '2', name: 'add', input: { left: 'one' } }, context);
    const unknown = await runToolCall(tools, { id: '3', name: 'multiply', input: {} }, context);
    const failed = await runToolCall(
      tools,
      { id: '4', name: 'divide', input: { left: 1, right: 0 } },
      context,
    );
    expect(success).toMatchObject({ type: 'success', output: '3' });
    expect(invalid.type).toBe('invalid-input');
    expect(unknown).toEqual({
      type: 'unknown-tool',
      toolName: 'multiply',
      output: 'There is no tool named "multiply". Available tools: add, divide.',
    });
    expect(failed).toMatchObject({ type: 'tool-error', output: 'Error: cannot divide by zero' });
    expect(context.counters).toEqual({
      toolCalls: 4,
      invalidInput: 1,
      unknownTool: 1,
      toolErrors: 1,
      pathReferences: 0,
      missingPathReferences: 0,
    });
    expect(toolRates(context.counters)).toEqual({ toolFailureRate: 0.75, hallucinatedReferenceRate: 0 });
  });

  it('reports input that was not valid JSON as invalid input', async () => {
    const context = createTestToolContext();
    const outcome = await runToolCall(
      tools,
      { id: '1', name: 'add', input: null, inputError: 'Unexpected end of JSON' },
      context,
    );
    expect(outcome.type).toBe('invalid-input');
    expect(outcome.output).toContain('Unexpected end of JSON');
    expect(context.counters.invalidInput).toBe(1);
  });

  it('lets a fatal error through', async () => {
    const call = { id: '1', name: 'divide', input: { left: 13, right: 1 } };
    await expect(runToolCall(tools, call, createTestToolContext())).rejects.toBeInstanceOf(FatalToolError);
  });

  it('lists tool definitions for the model', () => {
    expect(toolDefinitions(tools).map((definition) => definition.name)).toEqual(['add', 'divide']);
    expect(toolDefinitions(tools)[0]?.inputSchema).toMatchObject({ required: ['left', 'right'] });
  });
});
