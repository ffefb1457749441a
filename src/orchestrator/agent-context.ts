import type { ContextSettingsInput } from '../agent/index.ts';

/** What the models serving a role can take: the smallest window and output cap across its chain. */
export interface RoleModelLimits {
  contextWindowTokens: number;
  maxOutputTokens: number;
}

// The most one step asks the model to write; larger outputs are rare and cost a long wait.
const preferredOutputTokens = 16_000;

/**
 * An agent's context settings within both the fleet's window and its models' limits: a model with
 * an 8k window or a 2k output cap is asked for no more than it can give (the agent keeps less than
 * half its window for output, which the context settings require).
 */
export function agentContextSettings(
  fleetWindowTokens: number,
  limits: RoleModelLimits | null,
): ContextSettingsInput {
  const windowTokens = Math.min(fleetWindowTokens, limits?.contextWindowTokens ?? fleetWindowTokens);
  const reservedOutputTokens = Math.max(
    1,
    Math.min(
      preferredOutputTokens,
      limits?.maxOutputTokens ?? preferredOutputTokens,
      Math.floor(windowTokens / 2) - 1,
    ),
  );
  return { windowTokens, reservedOutputTokens };
}
