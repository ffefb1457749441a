import type { BriefingFacts } from './briefing.ts';
import { type PastCall, stringArgument, succeeded } from './past-calls.ts';
import {
  callTools,
  joinPath,
  listingEntries,
  type PlannedCall,
  type RoleContext,
  type RoleTurn,
  scopeDirectory,
} from './role-turn.ts';

type PlannerFacts = Extract<BriefingFacts, { type: 'planner' }>;

/** How a role-playing planner sizes its plan. */
export interface PlannerSettings {
  /** Tasks filed for a scope without sub-directories (a leaf area). */
  leafTasks: number;
  /** Most tasks one planner files. */
  maxTasks: number;
  /** Areas needed before a planner hands the first one to a sub-planner (when depth allows). */
  subplannerThreshold: number;
  /** `wait_for_changes` calls before the planner finishes anyway. */
  maxWaits: number;
  /** The `timeout_s` a wait asks for. */
  waitSeconds: number;
}

/** The plan sizes the tests use: few tasks, one sub-planner for a repository of three or more areas. */
export const defaultPlannerSettings: PlannerSettings = {
  leafTasks: 2,
  maxTasks: 4,
  subplannerThreshold: 3,
  maxWaits: 3,
  waitSeconds: 30,
};

const explorers = new Set(['list_dir', 'read_file']);

/** The listings a planner has seen: its briefing's layout (the top of its scope) and every list_dir. */
function listings(facts: PlannerFacts, calls: readonly PastCall[]): Map<string, string[]> {
  const seen = new Map<string, string[]>([[scopeDirectory(facts.scope), facts.layout]]);
  for (const call of succeeded(calls, 'list_dir')) {
    const path = stringArgument(call, 'path').replace(/\/+$/, '') || '.';
    seen.set(path, listingEntries(call.output));
  }
  return seen;
}

/** Walks down while a listing holds a single directory (`src/`): the areas are what lies below it. */
function descend(facts: PlannerFacts, calls: readonly PastCall[]): { base: string; unlisted: string | null } {
  const seen = listings(facts, calls);
  let base = scopeDirectory(facts.scope);
  for (;;) {
    const directories = (seen.get(base) ?? []).filter((entry) => entry.endsWith('/'));
    if (directories.length !== 1) return { base, unlisted: null };
    const next = joinPath(base, (directories[0] as string).slice(0, -1));
    if (!seen.has(next)) return { base, unlisted: next };
    base = next;
  }
}

interface PlanItem {
  call: PlannedCall;
  /** How a past call is recognised as this item: its first scope glob and label (see itemKey). */
  key: string;
}

function workItem(facts: PlannerFacts, area: string, label: string): PlanItem {
  const name = area.split('/').at(-1) ?? area;
  const focus = facts.previousVerdict?.next_focus[0];
  const scope = `${area}/**`;
  const input = {
    title: `Cycle ${facts.cycle}: add the ${label} to ${name}`,
    spec: `In ${area}/, add a small module for the goal "${facts.goal}": a new file exporting one function, re-exported from ${area}/index.ts when that file exists.${focus ? ` The judge asked to focus on: ${focus}.` : ''}`,
    acceptance: `A new file under ${area}/ exports a function, and the change landed.`,
    scope: [scope],
    priority: 0,
  };
  return { call: { name: 'create_task', input }, key: `${scope}#${label}` };
}

/** One task per area, the first area to a sub-planner when the repository is big enough and depth allows. */
function planItems(
  context: RoleContext,
  facts: PlannerFacts,
  base: string,
  settings: PlannerSettings,
): PlanItem[] {
  const entries = listings(facts, context.calls).get(base) ?? [];
  const areas = entries
    .filter((entry) => entry.endsWith('/'))
    .map((entry) => joinPath(base, entry.slice(0, -1)));
  if (areas.length === 0) {
    const count = Math.min(settings.leafTasks, settings.maxTasks);
    return Array.from({ length: count }, (_, index) =>
      workItem(facts, base, `helper ${index + 1} of ${count}`),
    );
  }
  const delegate =
    context.offered.has('spawn_subplanner') &&
    facts.depth < facts.maxDepth &&
    areas.length >= settings.subplannerThreshold;
  const items: PlanItem[] = [];
  if (delegate) {
    const area = areas[0] as string;
    const input = { scope: [`${area}/**`], brief: `Plan ${area} for the goal: ${facts.goal}` };
    items.push({ call: { name: 'spawn_subplanner', input }, key: `${area}/**#plan` });
  }
  for (const area of areas.slice(delegate ? 1 : 0, settings.maxTasks + (delegate ? 1 : 0)))
    items.push(workItem(facts, area, 'helper module'));
  return items;
}

function itemKey(call: PastCall): string {
  const scope = Array.isArray(call.input?.scope) ? String(call.input.scope[0]) : '';
  if (call.name === 'spawn_subplanner') return `${scope}#plan`;
  const label = /add the (.+) to /.exec(stringArgument(call, 'title'))?.[1] ?? '';
  return `${scope}#${label}`;
}

/** Filed, or refused as a duplicate of a filed one: either way it is on the board. */
function onBoard(call: PastCall): boolean {
  return !call.failed || /already exists as/.test(call.output ?? '');
}

/** Open or running work in a `wait_for_changes` or `list_tasks` report; null when it does not say. */
export function workInProgress(output: string | null): number | null {
  const counts = [...(output ?? '').matchAll(/(\d+) open, (\d+) leased/g)].at(-1);
  return counts ? Number(counts[1]) + Number(counts[2]) : null;
}

/** After filing: wait for changes while work runs (or look once without the tool), read handoffs, finish. */
function followUp(context: RoleContext, items: readonly PlanItem[], settings: PlannerSettings): RoleTurn {
  const { calls, offered } = context;
  const waits = calls.filter((call) => call.name === 'wait_for_changes' && call.output !== null);
  const lastWait = waits.at(-1);
  const busy = lastWait === undefined || (workInProgress(lastWait.output) ?? 1) > 0;
  if (offered.has('wait_for_changes') && waits.length < settings.maxWaits && busy)
    return callTools('Waiting for the workers.', {
      name: 'wait_for_changes',
      input: { timeout_s: settings.waitSeconds },
    });
  if (
    !offered.has('wait_for_changes') &&
    offered.has('list_tasks') &&
    !calls.some((call) => call.name === 'list_tasks')
  )
    return callTools('Checking the board.', { name: 'list_tasks', input: {} });
  if (offered.has('read_handoffs') && !calls.some((call) => call.name === 'read_handoffs'))
    return callTools('Reading the handoffs.', { name: 'read_handoffs', input: {} });
  const filed = items.filter((item) => item.call.name === 'create_task').length;
  const summary = `Filed ${filed} task(s) and ${items.length - filed} sub-planner(s), one per area of my scope.`;
  return callTools('Finishing planning.', { name: 'finish_planning', input: { summary } });
}

/**
 * A planner that explores (the briefing's layout, list_dir down a lone directory, a read of README.md
 * or index.ts), files one task per area it found (two helpers in a leaf area), hands the first area
 * to a sub-planner when there are three or more and depth allows, waits for changes while work runs,
 * reads the handoffs and finishes.
 */
export function playPlanner(
  context: RoleContext,
  settings: PlannerSettings = defaultPlannerSettings,
): RoleTurn {
  const { briefing: facts, calls } = context;
  if (facts?.type !== 'planner') return { type: 'text', text: 'I cannot find my planning brief.' };
  if (succeeded(calls, 'finish_planning').length > 0) return { type: 'text', text: 'Planning is finished.' };
  const { base, unlisted } = descend(facts, calls);
  const explored = calls.some((call) => explorers.has(call.name) && call.output !== null);
  const explore: PlannedCall[] = [];
  if (unlisted !== null && calls.filter((call) => call.name === 'list_dir').length < 3)
    explore.push({ name: 'list_dir', input: { path: unlisted } });
  const readable = (listings(facts, calls).get(base) ?? []).find((entry) =>
    ['README.md', 'index.ts'].includes(entry),
  );
  if (!explored && readable) explore.push({ name: 'read_file', input: { path: joinPath(base, readable) } });
  if (!explored && explore.length === 0) explore.push({ name: 'list_dir', input: { path: base } });
  const offeredExplorers = explore.filter((call) => context.offered.has(call.name));
  if (offeredExplorers.length > 0) return callTools(`Exploring ${base}.`, ...offeredExplorers);
  const items = planItems(context, facts, base, settings);
  const done = new Set(
    calls
      .filter((call) => ['create_task', 'spawn_subplanner'].includes(call.name) && onBoard(call))
      .map(itemKey),
  );
  const missing = items.filter((item) => !done.has(item.key));
  if (missing.length > 0)
    return callTools(`Planning ${missing.length} item(s) in ${base}.`, ...missing.map((item) => item.call));
  return followUp(context, items, settings);
}
