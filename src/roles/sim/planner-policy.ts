import type { SimPolicy, SimTurn } from '../../llm/index.ts';
import { briefingOf, pastCalls, shortHash } from './conversation.ts';

/** How the simulated planner plans; documented in the README's demo section. */
export interface SimPlannerOptions {
  /** Work tasks a planner files when it plans an area itself. */
  tasksPerPlanner: number;
  /** Sub-planners a planner spawns when its scope has at least two directories and depth allows. */
  subplannersPerPlanner: number;
  /** Each task also adds an export to its area's `index.ts`, so concurrent workers conflict and resolve. */
  sharedIndex: boolean;
  /** Tasks filed per turn (default: all at once). Smaller batches keep a planner feeding workers as they go. */
  batchSize?: number;
  /** With batches: file the next batch only while fewer than this many tasks are open (default 2 × batchSize). */
  keepOpen?: number;
}

function filedCount(listing: string): number {
  const match = /you filed (\d+) tasks/.exec(listing);
  return match ? Number(match[1]) : 0;
}

function openCount(listing: string): number {
  const match = /^counts: (\d+) open/m.exec(listing);
  return match ? Number(match[1]) : 0;
}

function directoriesOf(listing: string): string[] {
  return listing
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.endsWith('/') && !line.startsWith('.'))
    .map((line) => line.slice(0, -1))
    .sort();
}

/**
 * A rule-following planner: lists its scope, hands sub-directories to sub-planners while depth
 * allows, otherwise files a fixed number of small, disjoint tasks (one new module each), then
 * finishes. It does not understand the goal; it exercises the planner's tools and the fleet.
 */
export function createSimPlannerPolicy(options: SimPlannerOptions): SimPolicy {
  return {
    name: 'planner',
    description: `lists its scope, spawns up to ${options.subplannersPerPlanner} sub-planners per level, else files ${options.tasksPerPlanner} tasks`,
    respond(context): SimTurn {
      const briefing = briefingOf(context);
      if (briefing?.type !== 'planner')
        return { type: 'text', text: 'No planner briefing found; nothing to plan.' };
      const scopeRoot = (briefing.scope[0] ?? '').replace(/\*.*$/, '').replace(/\/$/, '');
      const calls = pastCalls(context);
      const listings = calls.filter((call) => call.name === 'list_dir');
      // the briefing's layout is the listing of the scope root a planner would otherwise ask for first
      const layoutListing =
        briefing.layout.length > 0
          ? { name: 'list_dir', input: { path: scopeRoot || '.' }, output: briefing.layout.join('\n') }
          : undefined;
      const lastListing = listings.at(-1) ?? layoutListing;
      // compaction may have summarized the early turns away; the tools' own counts still tell the story
      const lastStatus = calls.filter((call) => call.name === 'list_tasks').at(-1);
      const planning = calls.some((call) =>
        ['create_task', 'spawn_subplanner', 'list_tasks', 'read_handoffs'].includes(call.name),
      );
      const listedPath = lastListing
        ? String((lastListing.input as { path?: string }).path ?? '.')
        : scopeRoot || '.';
      const root = listedPath === '.' ? '' : `${listedPath.replace(/\/$/, '')}/`;
      const batchSize = Math.max(
        1,
        Math.min(options.batchSize ?? options.tasksPerPlanner, options.tasksPerPlanner),
      );
      const keepOpen = options.keepOpen ?? 2 * batchSize;
      const fileBatch = (alreadyFiled: number): SimTurn => {
        const stem = shortHash(briefing.taskId);
        const count = Math.min(batchSize, options.tasksPerPlanner - alreadyFiled);
        return {
          type: 'tool-calls',
          text: `Filing ${count} tasks in ${root || 'the repository'}.`,
          toolCalls: Array.from({ length: count }, (_, offset) => {
            const index = alreadyFiled + offset;
            const path = `${root}feature-c${briefing.cycle}-${stem}-${index + 1}.ts`;
            return {
              name: 'create_task',
              input: {
                title: `Add ${path}`,
                spec: `Create ${path} exporting a function${options.sharedIndex ? ` and export it from ${root}index.ts` : ''}. (Filed by a simulated planner.)`,
                acceptance: `${path} exists and exports the function.`,
                scope: options.sharedIndex ? [path, `${root}index.ts`] : [path],
                priority: 0,
              },
            };
          }),
        };
      };
      // a planner at the deepest level with a scope of its own has nothing to split: it plans at once
      const leaf = briefing.depth >= briefing.maxDepth && scopeRoot !== '';
      if (leaf && !planning) return fileBatch(0);
      if (!lastListing && !planning) {
        return {
          type: 'tool-calls',
          text: `Exploring ${scopeRoot || 'the repository'}.`,
          toolCalls: [{ name: 'list_dir', input: { path: scopeRoot || '.' } }],
        };
      }
      if (lastListing && !planning) {
        const directories = directoriesOf(lastListing.output);
        // a single directory says nothing about how to split the work: look inside it first
        if (directories.length === 1 && listings.length < 4) {
          return {
            type: 'tool-calls',
            text: `Looking inside ${root}${directories[0]}.`,
            toolCalls: [{ name: 'list_dir', input: { path: `${root}${directories[0]}` } }],
          };
        }
        if (briefing.depth < briefing.maxDepth && directories.length >= 2) {
          const areas = directories.slice(0, options.subplannersPerPlanner);
          const spawns = areas.map((area) => ({
            name: 'spawn_subplanner',
            input: {
              scope: [`${root}${area}/**`],
              brief: `Plan ${root}${area} for the goal: ${briefing.goal}`,
            },
          }));
          // every area handed on leaves nothing to plan here: finish in the same turn
          const finish =
            areas.length === directories.length
              ? [
                  {
                    name: 'finish_planning',
                    input: { summary: `Simulated planning: ${areas.length} areas handed to sub-planners.` },
                  },
                ]
              : [];
          return {
            type: 'tool-calls',
            text: `Splitting ${root || 'the repository'} into ${areas.length} areas.`,
            toolCalls: [...spawns, ...finish],
          };
        }
        return fileBatch(0);
      }
      const filed = Math.max(
        calls.filter((call) => call.name === 'create_task').length,
        filedCount(lastStatus?.output ?? ''),
      );
      const spawned = calls.filter((call) => call.name === 'spawn_subplanner').length;
      if (spawned === 0 && filed < options.tasksPerPlanner) {
        const last = calls.at(-1);
        if (last?.name === 'list_tasks' && openCount(last.output) < keepOpen) return fileBatch(filed);
        // while enough work is open, read what finished workers reported, then look again
        return last?.name === 'list_tasks'
          ? {
              type: 'tool-calls',
              text: 'Reading handoffs.',
              toolCalls: [{ name: 'read_handoffs', input: { limit: 5 } }],
            }
          : {
              type: 'tool-calls',
              text: 'Checking how the workers are doing.',
              toolCalls: [{ name: 'list_tasks', input: { status: 'open', limit: 0 } }],
            };
      }
      if (!calls.some((call) => call.name === 'finish_planning')) {
        return {
          type: 'tool-calls',
          toolCalls: [
            {
              name: 'finish_planning',
              input: {
                summary: `Simulated planning: ${filed} tasks filed, ${spawned} sub-planners spawned.`,
              },
            },
          ],
        };
      }
      return { type: 'text', text: 'Planning finished (simulated planner).' };
    },
  };
}
