import { readBriefing } from './briefing.ts';
import type { Conversation } from './conversation.ts';
import { pastCalls } from './past-calls.ts';
import type { RoleContext, RoleTurn } from './role-turn.ts';

/** A conversation a test grows turn by turn, as cadre's loop would, to drive a role policy. */
export interface ConversationBuilder {
  conversation: Conversation;
  /** Records a turn as the assistant's (ids `call_<n>`) and returns it. */
  say(turn: RoleTurn): RoleTurn;
  /** Results for the last turn's calls, in order; a string is a success. */
  results(...outputs: (string | { output: string; isError: boolean | null })[]): void;
  user(text: string): void;
  /** The context a policy decides from, read from the conversation as it stands. */
  context(): RoleContext;
}

/** The first user message cadre would send: some prose and the facts as a `<cadre-briefing>` block. */
export function briefingText(facts: Record<string, unknown>): string {
  return `Goal of the run: ${String(facts.goal ?? '')}\n\n<cadre-briefing>\n${JSON.stringify(facts)}\n</cadre-briefing>`;
}

/** Starts a conversation offering the named tools, whose first user message is the briefing. */
export function startConversation(tools: readonly string[], briefing: string): ConversationBuilder {
  const conversation: Conversation = {
    system: 'You are a cadre agent.',
    entries: [{ type: 'user', text: briefing }],
    tools: tools.map((name) => ({ name, description: `${name} tool`, inputSchema: {} })),
  };
  let counter = 0;
  let lastIds: string[] = [];
  return {
    conversation,
    say(turn) {
      const calls =
        turn.type === 'calls'
          ? turn.calls.map((call) => ({
              id: `call_${++counter}`,
              name: call.name,
              argumentsText: JSON.stringify(call.input),
            }))
          : [];
      lastIds = calls.map((call) => call.id);
      conversation.entries.push({ type: 'assistant', text: turn.text, toolCalls: calls });
      return turn;
    },
    results(...outputs) {
      outputs.forEach((result, index) => {
        const { output, isError } = typeof result === 'string' ? { output: result, isError: null } : result;
        conversation.entries.push({
          type: 'tool-result',
          callId: lastIds[index] ?? 'missing',
          output,
          isError,
        });
      });
    },
    user(text) {
      conversation.entries.push({ type: 'user', text });
    },
    context() {
      const offered = new Set(conversation.tools.map((tool) => tool.name));
      return { conversation, calls: pastCalls(conversation), offered, briefing: readBriefing(briefing) };
    },
  };
}
