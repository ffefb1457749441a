import type { RolePlayRole } from './role.ts';
import type { RoleContext, RoleTurn } from './role-turn.ts';
import { fractionOf, hashText } from './turn-seed.ts';
import { readLandResult } from './worker-role.ts';

/** The ways a role-played turn goes wrong, as real models' turns do. */
export const imperfectionKinds = [
  /** Narrates the next step instead of calling a tool. */
  'text-only',
  /** The first call's arguments are cut mid-JSON. */
  'malformed-arguments',
  /** Reads a file that does not exist. */
  'wrong-path',
  /** Calls a tool the request does not offer. */
  'unknown-tool',
  /** Makes the previous turn's read-only calls again, unchanged. */
  'repeated-call',
  /** The answer stops at the output limit with its tool calls cut (finish reason `length`). */
  'truncated',
  /** A worker hands off before its change landed (cadre refuses it). */
  'early-finish',
] as const;
/** One way a role-played turn goes wrong. */
export type ImperfectionKind = (typeof imperfectionKinds)[number];

/** A turn as it goes out: tool calls with their argument text (maybe broken), or text. */
export type PlayedTurn =
  | { type: 'text'; text: string; imperfection: ImperfectionKind | null }
  | {
      type: 'calls';
      text: string;
      calls: { name: string; argumentsText: string }[];
      /** Cut at the output limit: the wire says `length` / `max_tokens`. */
      truncated: boolean;
      imperfection: ImperfectionKind | null;
    };

const readOnlyTools = new Set([
  'read_file',
  'list_dir',
  'glob',
  'grep',
  'git_status',
  'git_diff',
  'list_tasks',
]);
const inventedTools = ['bash', 'search_code', 'open_file'];

/** The turn as intended, with its arguments serialized. */
export function asPlayed(turn: RoleTurn): PlayedTurn {
  if (turn.type === 'text') return { type: 'text', text: turn.text, imperfection: null };
  const calls = turn.calls.map((call) => ({ name: call.name, argumentsText: JSON.stringify(call.input) }));
  return { type: 'calls', text: turn.text, calls, truncated: false, imperfection: null };
}

function cut(text: string): string {
  return text.slice(0, Math.max(1, Math.floor(text.length / 2)));
}

function narration(turn: RoleTurn): string {
  if (turn.type === 'text') return turn.text;
  return `Next I will call ${turn.calls.map((call) => call.name).join(' and ')}. ${turn.text}`;
}

/** The calls of the previous assistant turn, when all of them only read. */
function previousReads(context: RoleContext): PlayedTurn | null {
  const previous = context.conversation.entries.findLast((entry) => entry.type === 'assistant');
  if (previous?.type !== 'assistant' || previous.toolCalls.length === 0) return null;
  if (!previous.toolCalls.every((call) => readOnlyTools.has(call.name))) return null;
  const calls = previous.toolCalls.map((call) => ({ name: call.name, argumentsText: call.argumentsText }));
  return {
    type: 'calls',
    text: 'Let me look again.',
    calls,
    truncated: false,
    imperfection: 'repeated-call',
  };
}

/** The turn spoiled in the given way, or null when that way does not apply to this turn. */
function spoil(
  kind: ImperfectionKind,
  turn: RoleTurn,
  context: RoleContext,
  role: RolePlayRole,
  seed: number,
): PlayedTurn | null {
  const played = asPlayed(turn);
  switch (kind) {
    case 'text-only':
      return { type: 'text', text: narration(turn), imperfection: kind };
    case 'malformed-arguments': {
      if (played.type !== 'calls') return null;
      const [first, ...rest] = played.calls;
      if (first === undefined) return null;
      const broken = { name: first.name, argumentsText: cut(first.argumentsText) };
      return { ...played, calls: [broken, ...rest], imperfection: kind };
    }
    case 'wrong-path': {
      if (!context.offered.has('read_file')) return null;
      const path = `src/helpers-${seed.toString(36)}.ts`;
      const calls = [{ name: 'read_file', argumentsText: JSON.stringify({ path }) }];
      return { type: 'calls', text: `Reading ${path} first.`, calls, truncated: false, imperfection: kind };
    }
    case 'unknown-tool': {
      const name = inventedTools.find((tool) => !context.offered.has(tool));
      if (name === undefined) return null;
      const calls = [{ name, argumentsText: JSON.stringify({ command: 'ls' }) }];
      return { type: 'calls', text: 'Listing the files.', calls, truncated: false, imperfection: kind };
    }
    case 'repeated-call':
      return previousReads(context);
    case 'truncated': {
      if (played.type !== 'calls' || played.calls.length === 0) return null;
      const calls = played.calls.map((call, index) =>
        index === played.calls.length - 1 ? { ...call, argumentsText: cut(call.argumentsText) } : call,
      );
      return { ...played, calls, truncated: true, imperfection: kind };
    }
    case 'early-finish': {
      const landed = context.calls.some(
        (call) => call.name === 'land' && readLandResult(call).type === 'landed',
      );
      if (role !== 'worker' || landed || !context.offered.has('handoff')) return null;
      if (played.type === 'calls' && played.calls.some((call) => call.name === 'handoff')) return null;
      const calls = [
        {
          name: 'handoff',
          argumentsText: JSON.stringify({ done: 'Finished the task.', left: '', noticed: '' }),
        },
      ];
      return { type: 'calls', text: 'I am done.', calls, truncated: false, imperfection: kind };
    }
  }
}

/** Which imperfections may be served and how often. */
export interface ImperfectionSettings {
  /** Share of turns (0..1) that go wrong; a turn right after a wrong one never does, so every slip is recovered from. */
  rate: number;
  kinds: readonly ImperfectionKind[];
}

/**
 * Whether the turn now asked for goes wrong: its seed's roll is under the rate and the turn before
 * did not go wrong (worked out the same way from the earlier seeds, so every process agrees).
 */
export function isImperfectTurn(seeds: readonly number[], rate: number): boolean {
  let previous = false;
  for (const seed of seeds) previous = !previous && fractionOf(seed) < rate;
  return previous;
}

/**
 * Plays a turn: as intended, or (when the seeds say so) spoiled by one imperfection picked by the
 * seed; a kind that does not fit the turn falls back to answering with text only.
 */
export function playTurn(
  turn: RoleTurn,
  context: RoleContext,
  role: RolePlayRole,
  seeds: readonly number[],
  settings: ImperfectionSettings,
): PlayedTurn {
  const seed = seeds.at(-1) ?? 0;
  if (settings.kinds.length === 0 || !isImperfectTurn(seeds, settings.rate)) return asPlayed(turn);
  const pick = Math.floor(fractionOf(hashText('kind', seed)) * settings.kinds.length);
  const kind = settings.kinds[pick] as ImperfectionKind;
  return (
    spoil(kind, turn, context, role, seed) ?? spoil('text-only', turn, context, role, seed) ?? asPlayed(turn)
  );
}
