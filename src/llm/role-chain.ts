import { isEngineEntry } from '../protocol/index.ts';

/** How a role got its chain: its own entry, the `default` chain, or none at all (with the message to show). */
export type RoleChain =
  | { type: 'own'; role: string; chain: readonly string[] }
  | { type: 'default'; role: string; chain: readonly string[] }
  | { type: 'missing'; role: string; message: string };

/**
 * A per-role setting: the role's own entry, else the `default` entry. Own properties only, so that a role
 * named like an Object.prototype member ("constructor") cannot pick up a function.
 */
export function settingForRole<T>(byRole: Readonly<Record<string, T>>, role: string): T | undefined {
  if (Object.hasOwn(byRole, role)) return byRole[role];
  return Object.hasOwn(byRole, 'default') ? byRole.default : undefined;
}

/**
 * The chain that serves a role. The router, the start-up key check and `cadre models ping` all resolve
 * roles through this one function, so a `default` chain serves every role in all three.
 */
export function resolveRoleChain(
  roles: Readonly<Record<string, readonly string[]>>,
  role: string,
): RoleChain {
  if (Object.hasOwn(roles, role) && (roles[role]?.length ?? 0) > 0) {
    const chain = modelsOf(roles[role] ?? []);
    if (chain.length > 0) return { type: 'own', role, chain };
    return {
      type: 'missing',
      role,
      message: `role "${role}" is served by ${roles[role]?.[0]} only: no model follows it to fall back on; add one after the engine in "roles"`,
    };
  }
  const fallback = modelsOf(settingForRole(roles, role) ?? []);
  if (fallback.length > 0) return { type: 'default', role, chain: fallback };
  const known = Object.keys(roles).join(', ') || 'none';
  return {
    type: 'missing',
    role,
    message: `no model chain is configured for role "${role}" (configured roles: ${known}); add "${role}" or "default" to "roles" in the models config`,
  };
}

/** The chain's models: an engine at its head is run by the orchestrator, never by the router. */
function modelsOf(chain: readonly string[]): readonly string[] {
  return chain.filter((entry) => !isEngineEntry(entry));
}
