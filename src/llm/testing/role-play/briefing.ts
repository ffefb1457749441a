import { z } from 'zod';

const common = {
  goal: z.string().default(''),
  cycle: z.int().min(1).default(1),
  maxCycles: z.int().min(1).default(1),
};

const PlannerFacts = z.object({
  type: z.literal('planner'),
  ...common,
  taskId: z.string().default('plan'),
  scope: z.array(z.string()).default([]),
  layout: z.array(z.string()).default([]),
  depth: z.int().min(0).default(0),
  maxDepth: z.int().min(0).default(0),
  previousVerdict: z
    .object({ next_focus: z.array(z.string()).default([]) })
    .nullable()
    .default(null),
});

const WorkerFacts = z.object({
  type: z.literal('worker'),
  ...common,
  taskId: z.string(),
  title: z.string(),
  scope: z.array(z.string()).default([]),
});

const JudgeFacts = z.object({
  type: z.literal('judge'),
  ...common,
  tasks: z.object({ done: z.int(), failed: z.int(), open: z.int() }).default({ done: 0, failed: 0, open: 0 }),
  commits: z.array(z.object({ commit: z.string(), subject: z.string() })).default([]),
  diffStat: z.string().default(''),
});

/** The facts a role-player reads from an agent's first message; `type` says whose. */
export const BriefingFacts = z.discriminatedUnion('type', [PlannerFacts, WorkerFacts, JudgeFacts]);
/** The facts a role-player reads from an agent's first message. */
export type BriefingFacts = z.infer<typeof BriefingFacts>;

function fromBlock(text: string): BriefingFacts | null {
  const match = /<cadre-briefing>\s*([\s\S]*?)\s*<\/cadre-briefing>/.exec(text);
  if (!match) return null;
  try {
    const parsed = BriefingFacts.safeParse(JSON.parse(match[1] ?? ''));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The `- item` lines that follow a heading line, up to the first line that is not one. */
function bullets(text: string, heading: string): string[] {
  const start = text.indexOf(`${heading}\n`);
  if (start === -1) return [];
  const items: string[] = [];
  for (const line of text.slice(start + heading.length + 1).split('\n')) {
    if (!line.startsWith('- ')) break;
    items.push(line.slice(2).trim());
  }
  return items;
}

function fromProse(text: string): BriefingFacts | null {
  const cycle = /Cycle (\d+) of at most (\d+)/.exec(text);
  const header = {
    goal: /Goal of the run: (.*)/.exec(text)?.[1] ?? '',
    cycle: Number(cycle?.[1] ?? 1),
    maxCycles: Number(cycle?.[2] ?? 1),
  };
  const task = /Your task \(([^,]+), attempt \d+\): (.*)/.exec(text);
  if (task) {
    const scope = bullets(text, 'Scope:').filter((item) => item !== 'not limited');
    return { type: 'worker', ...header, taskId: task[1] ?? '', title: task[2] ?? '', scope };
  }
  const depth = /planner at depth (\d+) \(sub-planners may go (\d+) deep\)/.exec(text);
  if (depth) {
    const scope = bullets(text, 'Your scope:').filter((item) => item !== 'the whole repository');
    const layout = bullets(text, 'At the top of your scope:');
    const facts = { ...header, scope, layout, depth: Number(depth[1]), maxDepth: Number(depth[2]) };
    return { type: 'planner', taskId: 'plan', previousVerdict: null, ...facts };
  }
  const tasks = /Tasks: (\d+) done, (\d+) failed, (\d+) open/.exec(text);
  if (tasks) {
    const counts = { done: Number(tasks[1]), failed: Number(tasks[2]), open: Number(tasks[3]) };
    const diffStat = /Diff stat:\n([\s\S]*?)\n\n/.exec(text)?.[1] ?? '';
    return { type: 'judge', ...header, tasks: counts, commits: [], diffStat };
  }
  return null;
}

/**
 * Reads the briefing of an agent: the JSON block cadre appends when there is one, else the prose
 * above it (a model reads the prose; the block says the same exactly). Null when neither is there.
 */
export function readBriefing(text: string): BriefingFacts | null {
  return fromBlock(text) ?? fromProse(text);
}
