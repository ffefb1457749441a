import { z } from 'zod';
import { defineTool, type Tool } from '../../agent/index.ts';
import type { SimulatedUser } from './simulated-user.ts';

/** `ask_user`: the agent's channel to the simulated user, one question per call. */
export function createAskUserTool(user: SimulatedUser, description: string): Tool {
  return defineTool({
    name: 'ask_user',
    description,
    inputSchema: z.object({ question: z.string().min(3).describe('One specific question.') }),
    async execute(input, context) {
      const reply = await user.answer(input.question, context.signal);
      return { output: reply, details: { revealed: [...user.revealed()] } };
    },
  });
}
