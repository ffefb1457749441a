import type { SimPolicy, SimTurn } from '../../llm/index.ts';
import { briefingOf, pastCalls } from './conversation.ts';

/**
 * A rule-following judge: continues while cycles remain and the cycle landed work; its score is
 * the share of cycles used. It reads nothing it does not report and claims no understanding.
 */
export function createSimJudgePolicy(): SimPolicy {
  return {
    name: 'judge',
    description: 'continues while cycles remain and work landed; score = cycles used / cycle limit',
    respond(context): SimTurn {
      const briefing = briefingOf(context);
      if (briefing?.type !== 'judge') return { type: 'text', text: 'No judge briefing found; no verdict.' };
      const calls = pastCalls(context);
      // the briefing carries the commits, the checks and the handoffs: the verdict needs nothing else
      if (!calls.some((call) => call.name === 'submit_verdict')) {
        const { tasks } = briefing;
        const landedWork = briefing.commits.length > 0;
        return {
          type: 'tool-calls',
          toolCalls: [
            {
              name: 'submit_verdict',
              input: {
                continue: briefing.cycle < briefing.maxCycles && landedWork,
                score: Math.min(1, briefing.cycle / briefing.maxCycles),
                reasons: [
                  `simulated judge: ${tasks.done} tasks done, ${tasks.failed} failed, ${tasks.open} open`,
                  `${briefing.commits.length} commits landed this cycle`,
                ],
                next_focus: landedWork ? ['file the next batch of modules (simulated)'] : [],
              },
            },
          ],
        };
      }
      return { type: 'text', text: 'Verdict submitted (simulated judge).' };
    },
  };
}
