import { addUsage, emptyUsage, type ModelUsage } from '../../llm/index.ts';
import type { ScriptedUsage } from '../../llm/testing/index.ts';
import { usageOf } from '../../llm/testing/protocol-server/scripted-reply.ts';
import type { EngineEvent } from '../engine-adapter.ts';
import { ofType } from './engine-events.ts';
import type { EngineTestKit } from './engine-test-kit.ts';

/** The usage of every model-turn added up: what cadre would charge for the events, to compare with the server. */
export function usageOfTurns(events: readonly EngineEvent[]): ModelUsage {
  return ofType(events, 'model-turn').reduce((sum, turn) => addUsage(sum, turn.usage), emptyUsage());
}

/** What the kit's protocol server served, added up: the truth an engine's counted usage must equal. */
export function ledgerUsage(kit: EngineTestKit): ModelUsage {
  return kit.server.ledger.reduce((sum, served) => addUsage(sum, served.usage), emptyUsage());
}

/** A scripted reply's usage as the protocol server reports it, so a test can expect it on a model-turn. */
export function modelUsageOf(usage: ScriptedUsage): ModelUsage {
  return usageOf({ type: 'text', text: '', usage });
}
