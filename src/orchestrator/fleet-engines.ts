import { join } from 'node:path';
import { type EngineRoute, prepareEngine } from '../engines/index.ts';
import { settingForRole } from '../llm/index.ts';
import { isEngineEntry, type ModelsConfig, parseEngineRef } from '../protocol/index.ts';

/** Where a fleet's engines keep their state, and which engine runs each new agent. */
export interface FleetEngines {
  /** The engine for the role's next agent (the engines heading its chain, in turn), or null for cadre's own loop. */
  routeFor(role: string): EngineRoute | null;
  /** A directory outside every worktree where the agent's engine keeps its sessions while it lives. */
  stateDirectory(agentId: string): string;
}

/** An engine that a role chain names cannot run here: the message says what to install or set. */
export class EngineUnavailableError extends Error {
  override name = 'EngineUnavailableError';
}

/** The roles an engine may serve: workers (planners and the judge need cadre's board tools). */
export const engineRoles = ['worker'] as const;

/**
 * Gets the engines the config's role chains open with ready (program, version, key), or throws
 * EngineUnavailableError naming everything missing, before any agent starts. Undefined when no role
 * runs an engine. An engine named for a planner or the judge is refused the same way.
 */
export async function prepareFleetEngines(
  models: ModelsConfig,
  env: NodeJS.ProcessEnv,
  stateRoot: string,
  signal: AbortSignal,
): Promise<FleetEngines | undefined> {
  const routes = new Map<string, EngineRoute[]>();
  const problems: string[] = [];
  for (const role of ['planner', 'worker', 'judge']) {
    const heads = (settingForRole(models.roles, role) ?? []).filter(isEngineEntry);
    if (heads.length === 0) continue;
    if (!(engineRoles as readonly string[]).includes(role))
      throw new EngineUnavailableError(
        `role ${role} names the engine ${heads[0]}, but engines serve only ${engineRoles.join(', ')}: a ${role} needs cadre's board tools; give ${role} a model chain`,
      );
    const ready: EngineRoute[] = [];
    for (const head of heads) {
      const prepared = await prepareEngine(parseEngineRef(head), models, env, signal);
      if (prepared.type === 'ready') ready.push(prepared.route);
      else problems.push(prepared.message);
    }
    routes.set(role, ready);
  }
  if (problems.length > 0) throw new EngineUnavailableError([...new Set(problems)].join('\n'));
  if (routes.size === 0) return undefined;
  const turns = new Map<string, number>();
  return {
    routeFor(role) {
      const ready = routes.get(role) ?? [];
      const turn = turns.get(role) ?? 0;
      turns.set(role, turn + 1);
      return ready[turn % Math.max(1, ready.length)] ?? null;
    },
    stateDirectory: (agentId) => join(stateRoot, agentId),
  };
}
