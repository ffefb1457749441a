import { describe, expect, it } from 'vitest';
import { resolveRoleChain, settingForRole } from './role-chain.ts';

describe('resolveRoleChain', () => {
  it("prefers the role's own chain, then the default chain", () => {
    const roles = { worker: ['openai:a'], default: ['sim:echo'] };
    expect(resolveRoleChain(roles, 'worker')).toEqual({ type: 'own', role: 'worker', chain: ['openai:a'] });
    expect(resolveRoleChain(roles, 'planner')).toEqual({
      type: 'default',
      role: 'planner',
      chain: ['sim:echo'],
    });
  });

  it('names the configured roles and what to add when nothing serves the role', () => {
    const missing = resolveRoleChain({ worker: ['openai:a'] }, 'planner');
    expect(missing).toMatchObject({ type: 'missing', role: 'planner' });
    expect(missing.type === 'missing' && missing.message).toMatch(
      /no model chain .* "planner" \(configured roles: worker\); add "planner" or "default"/,
    );
    expect(resolveRoleChain({}, 'judge')).toMatchObject({ type: 'missing' });
  });

  it('never mistakes an Object.prototype member for a role', () => {
    expect(resolveRoleChain({ worker: ['openai:a'] }, 'constructor').type).toBe('missing');
    expect(settingForRole({ default: 1 }, 'toString')).toBe(1);
  });
});
