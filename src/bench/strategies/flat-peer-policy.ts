import { z } from 'zod';
import {
  hashSeed,
  lastInputText,
  type SimPolicy,
  type SimPolicyContext,
  type SimTurn,
} from '../../llm/index.ts';
import { type PastCall, pastCalls } from '../../roles/index.ts';
import { LockFaultRates, StrategyName } from './coordination-settings.ts';

/** The first line of a flat peer's task message; the JSON after it is its briefing. */
export const flatPeerBriefingPrefix = 'cadre coordination lab, flat peer:';

/** What a flat peer is told: its strategy, its number, and (a sim-only knob) how often to misbehave. */
export const FlatPeerBriefing = z.strictObject({
  strategy: StrategyName.exclude(['hierarchical']),
  agent: z.int().min(0),
  seed: z.int(),
  faults: LockFaultRates,
});
/** What a flat peer is told. */
export type FlatPeerBriefing = z.infer<typeof FlatPeerBriefing>;

/** The task message of a flat peer. */
export function flatPeerTask(briefing: FlatPeerBriefing): string {
  return `${flatPeerBriefingPrefix} ${JSON.stringify(briefing)}\nTake open tasks from the shared list, do them, mark them done; stop when none are open.`;
}

function parseBriefing(context: SimPolicyContext): FlatPeerBriefing | null {
  const first = context.messages.find((message) => message.role === 'user');
  const text = first === undefined ? '' : lastInputText([first]);
  const line = text.split('\n').find((candidate) => candidate.startsWith(flatPeerBriefingPrefix));
  if (line === undefined) return null;
  const parsed = FlatPeerBriefing.safeParse(JSON.parse(line.slice(flatPeerBriefingPrefix.length)));
  return parsed.success ? parsed.data : null;
}

type Fault = 'holdTooLong' | 'forgetRelease' | 'reacquire' | 'unlockedWrite';

// Per cycle, not per call: every turn of one decision cycle must agree on whether it misbehaves.
function draws(briefing: FlatPeerBriefing, cycle: number, fault: Fault): boolean {
  if (briefing.strategy !== 'flat-lock') return false;
  const roll = hashSeed(briefing.seed, `${briefing.agent}:${cycle}:${fault}`) / 2 ** 32;
  return roll < briefing.faults[fault];
}

const wroteOk = (call: PastCall) => call.name === 'write_tasks' && call.output.startsWith('wrote');

function firstOpen(readOutput: string | undefined): number | null {
  const match = /^open: (\d+)/m.exec(readOutput ?? '');
  return match ? Number(match[1]) : null;
}

function call(name: string, input: unknown = {}): SimTurn {
  return { type: 'tool-calls', toolCalls: [{ name, input }] };
}

/**
 * A rule-following flat peer. One decision cycle: (acquire_lock) → read_tasks → write_tasks
 * (mark the last task done, claim the first open one) → (release_lock) → do_work; under flat-occ a
 * refused write starts the cycle again. With the briefing's rates it misbehaves the way the seed
 * says peers did. It is not timid or bold: it always takes the first open task.
 */
export function createFlatPeerPolicy(): SimPolicy {
  return {
    name: 'flat-peer',
    description:
      'a flat peer: claims tasks on a shared list (under a lock or with version checks) and does them',
    respond(context): SimTurn {
      const briefing = parseBriefing(context);
      if (briefing === null) return { type: 'text', text: 'No flat peer briefing found; nothing to do.' };
      const calls = pastCalls(context);
      let start = 0;
      let cycle = 0;
      calls.forEach((past, index) => {
        if (past.name === 'do_work' || (past.name === 'write_tasks' && !wroteOk(past))) {
          start = index + 1;
          cycle++;
        }
      });
      const current = calls.slice(start);
      const lastWork = calls.filter((past) => past.name === 'do_work').at(-1);
      const toComplete = lastWork ? (lastWork.input as { task: number }).task : undefined;
      const count = (name: string) => current.filter((past) => past.name === name).length;
      const locked = briefing.strategy === 'flat-lock' && !draws(briefing, cycle, 'unlockedWrite');
      if (locked) {
        if (count('acquire_lock') === 0) return call('acquire_lock');
        if (draws(briefing, cycle, 'reacquire') && count('acquire_lock') < 2) return call('acquire_lock');
      }
      const reads = count('read_tasks');
      if (reads === 0) return call('read_tasks');
      if (locked && draws(briefing, cycle, 'holdTooLong') && reads <= briefing.faults.holdTooLongSteps)
        return call('read_tasks');
      const write = current.find((past) => past.name === 'write_tasks');
      const claim = firstOpen(current.filter((past) => past.name === 'read_tasks').at(-1)?.output);
      if (write === undefined) {
        if (claim === null && toComplete === undefined) {
          if (locked) return count('release_lock') === 0 ? call('release_lock') : finished();
          return finished();
        }
        return call('write_tasks', {
          ...(toComplete === undefined ? {} : { complete: toComplete }),
          ...(claim === null ? {} : { claim }),
        });
      }
      if (!wroteOk(write)) return { type: 'text', text: `The write failed (${write.output}); giving up.` };
      if (locked && !draws(briefing, cycle, 'forgetRelease') && count('release_lock') === 0)
        return call('release_lock');
      const claimed = /claimed (\d+)/.exec(write.output);
      return claimed ? call('do_work', { task: Number(claimed[1]) }) : finished();
    },
  };
}

function finished(): SimTurn {
  return { type: 'text', text: 'No open tasks left; finished (simulated flat peer).' };
}
