import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTool } from './define-tool.ts';
import { createTestToolContext } from './testing/test-tool-context.ts';
import { FatalToolError, ToolError } from './tool-errors.ts';

const echo = defineTool({
  name: 'echo',
  description: 'Echo text back.',
  inputSchema: z.object({ text: z.string().describe('What to echo.'), times: z.int().min(1).default(1) }),
  async execute(input) {
    return { output: input.text.repeat(input.times), details: { length: input.text.length * input.times } };
  },
});

function failingTool(error: unknown) {
  return defineTool({
    name: 'fail',
    description: 'Always fails.',
    inputSchema: z.object({}),
    async execute() {
      throw error;
    },
  });
}

describe('defineTool', () => {
  it('runs the tool on valid input, applying defaults', async () => {
    const outcome = await echo.execute({ text: 'hi' }, createTestToolContext());
    expect(outcome).toEqual({ type: 'success', output: 'hi', details: { length: 2 }, cutCharacters: 0 });
  });

  it('exposes the input as draft-07 JSON Schema with optional defaults', () => {
    expect(echo.inputJsonSchema).toMatchObject({
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      properties: {
        text: { type: 'string', description: 'What to echo.' },
        times: { type: 'integer', default: 1 },
      },
      required: ['text'],
    });
  });

  it('turns bad input into an invalid-input outcome naming each problem', async () => {
    const outcome = await echo.execute({ times: 0 }, createTestToolContext());
    expect(outcome.type).toBe('invalid-input');
    expect(outcome.output).toContain('Invalid input for echo');
    expect(outcome.output).toMatch(/- text: /);
    expect(outcome.output).toMatch(/- times: /);
    expect(outcome.output).toContain('call the tool again');
  });

  it('rejects input that is not an object', async () => {
    const outcome = await echo.execute('hi', createTestToolContext());
    expect(outcome).toMatchObject({ type: 'invalid-input' });
    expect(outcome.output).toMatch(/- input: /);
  });

  it('cuts long output to the configured cap with a note', async () => {
    const context = createTestToolContext({ config: { outputCapCharacters: 100 } });
    const outcome = await echo.execute({ text: 'x', times: 1000 }, context);
    expect(outcome).toMatchObject({ type: 'success', cutCharacters: 900 });
    expect(outcome.output).toContain('900 of 1000 characters');
    expect(outcome.output.length).toBeLessThan(200);
  });

  it('lets a definition override the cap', async () => {
    const short = defineTool({
      name: 'short',
      description: 'Capped at 10.',
      inputSchema: z.object({}),
      outputCapCharacters: 10,
      async execute() {
        return { output: 'y'.repeat(50), details: null };
      },
    });
    expect(await short.execute({}, createTestToolContext())).toMatchObject({
      type: 'success',
      cutCharacters: 40,
    });
  });

  it('reports a ToolError to the model with its details', async () => {
    const outcome = await failingTool(new ToolError('file is gone', { path: 'a' })).execute(
      {},
      createTestToolContext(),
    );
    expect(outcome).toEqual({ type: 'tool-error', output: 'Error: file is gone', details: { path: 'a' } });
  });

  it('reports an unexpected exception as a tool error too', async () => {
    const outcome = await failingTool(new TypeError('boom')).execute({}, createTestToolContext());
    expect(outcome).toMatchObject({ type: 'tool-error', output: 'Error: fail failed unexpectedly: boom' });
  });

  it('rethrows a FatalToolError so the agent ends', async () => {
    await expect(
      failingTool(new FatalToolError('worktree deleted')).execute({}, createTestToolContext()),
    ).rejects.toBeInstanceOf(FatalToolError);
  });

  it('reports a failure after the agent was stopped as aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const outcome = await failingTool(new Error('interrupted')).execute(
      {},
      createTestToolContext({ signal: controller.signal }),
    );
    expect(outcome.type).toBe('aborted');
  });
});
