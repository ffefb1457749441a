import type { RecordedRequest } from '../../llm/testing/index.ts';

/**
 * The last item of a recorded request's conversation list (`input` for the Responses API, `messages`
 * for Chat Completions): the scripted replies look there to see what the program just sent.
 */
export function lastItem(
  request: RecordedRequest,
  list: 'input' | 'messages',
): Record<string, unknown> | undefined {
  const items = request.body[list];
  return Array.isArray(items) ? (items.at(-1) as Record<string, unknown> | undefined) : undefined;
}
