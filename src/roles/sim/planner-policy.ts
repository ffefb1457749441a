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
      const lastListing = listings.at(-1);
      if (!lastListing) {
        return {
          type: 'tool-calls',
          text: `Exploring ${scopeRoot || 'the repository'}.`,
          toolCalls: [{ name: 'list_dir', input: { path: scopeRoot || '.' } }],
        };
      }
      const listedPath = String((lastListing.input as { path?: string }).path ?? '.');
      const root = listedPath === '.' ? '' : `${listedPath.replace(/\/$/, '')}/`;
      if (!calls.some((call) => call.name === 'create_task' || call.name === 'spawn_subplanner')) {
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
          return {
            type: 'tool-calls',
            text: `Splitting ${root || 'the repository'} into ${areas.length} areas.`,
            toolCalls: areas.map((area) => ({
              name: 'spawn_subplanner',
              input: {
                scope: [`${root}${area}/**`],
                brief: `Plan ${root}${area} for the goal: ${briefing.goal}`,
              },
            })),
          };
        }
        const stem = shortHash(briefing.taskId);
        return {
          type: 'tool-calls',
          text: `Filing ${options.tasksPerPlanner} tasks in ${root || 'the repository'}.`,
          toolCalls: Array.from({ length: options.tasksPerPlanner }, (_, index) => {
            const path = `${root}feature-c${briefing.cycle}-${stem}-${index + 1}.ts`;
            return {
              name: 'create_task',
              input: {
                title: `Add ${path}`,
                spec: `Create ${path} exporting a function${options.sharedIndex ? ` and export it from ${root}index.ts` : ''}. (Filed by a simulated planner.)`,
                acceptance: `${path} exists and exports the function.`,
                scope: options.sharedIndex ? [path, `${root}index.ts`] : [path],
                priority: options.tasksPerPlanner - index,
              },
            };
          }),
        };
      }
      if (!calls.some((call) => call.name === 'finish_planning')) {
        const filed = calls.filter((call) => call.name === 'create_task').length;
        const spawned = calls.filter((call) => call.name === 'spawn_subplanner').length;
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
