import { z } from 'zod';
import { Verdict } from './verdict.ts';

const common = {
  goal: z.string(),
  runId: z.string(),
  cycle: z.int().min(1),
  maxCycles: z.int().min(1),
};

/** What a planner is told when it starts. */
export const PlannerBriefing = z.object({
  type: z.literal('planner'),
  ...common,
  taskId: z.string(),
  scope: z.array(z.string()),
  brief: z.string(),
  depth: z.int().min(0),
  maxDepth: z.int().min(0),
  previousVerdict: Verdict.nullable(),
  /** The entries at the top of the scope (directories end with `/`), so planning starts without a listing call. */
  layout: z.array(z.string()).default([]),
});
/** What a planner is told when it starts. */
export type PlannerBriefing = z.infer<typeof PlannerBriefing>;

/** What a worker is told when it starts. */
export const WorkerBriefing = z.object({
  type: z.literal('worker'),
  ...common,
  taskId: z.string(),
  title: z.string(),
  spec: z.string(),
  acceptance: z.string(),
  scope: z.array(z.string()),
  attempt: z.int().min(1),
});
/** What a worker is told when it starts. */
export type WorkerBriefing = z.infer<typeof WorkerBriefing>;

/** What the judge is told when it starts. */
export const JudgeBriefing = z.object({
  type: z.literal('judge'),
  ...common,
  tasks: z.object({ done: z.int(), failed: z.int(), open: z.int(), cancelled: z.int() }),
  commits: z.array(z.object({ commit: z.string(), subject: z.string() })),
  diffStat: z.string(),
  checks: z.string(),
  handoffs: z.array(
    z.object({ taskId: z.string(), title: z.string(), status: z.string(), handoff: z.string() }),
  ),
});
/** What the judge is told when it starts. */
export type JudgeBriefing = z.infer<typeof JudgeBriefing>;

/** Any role's briefing; `type` says which. */
export const Briefing = z.discriminatedUnion('type', [PlannerBriefing, WorkerBriefing, JudgeBriefing]);
/** Any role's briefing. */
export type Briefing = z.infer<typeof Briefing>;

const open = '<cadre-briefing>';
const close = '</cadre-briefing>';

function bullet(items: readonly string[], empty: string) {
  return items.length > 0 ? items.map((item) => `- ${item}`).join('\n') : empty;
}

function describe(briefing: Briefing): string {
  const header = `Goal of the run: ${briefing.goal}\nCycle ${briefing.cycle} of at most ${briefing.maxCycles}.`;
  switch (briefing.type) {
    case 'planner': {
      const verdict = briefing.previousVerdict
        ? `\n\nThe judge of the previous cycle said (score ${briefing.previousVerdict.score}):\n${bullet(briefing.previousVerdict.reasons, '')}\nFocus next on:\n${bullet(briefing.previousVerdict.next_focus, '- (nothing named)')}`
        : '';
      const layout =
        briefing.layout.length > 0 ? `\n\nAt the top of your scope:\n${bullet(briefing.layout, '')}` : '';
      return `${header}\n\nYour scope:\n${bullet(briefing.scope, '- the whole repository')}${layout}\n\nYour brief: ${briefing.brief}\n\nYou are a planner at depth ${briefing.depth} (sub-planners may go ${briefing.maxDepth} deep).${verdict}`;
    }
    case 'worker':
      return `${header}\n\nYour task (${briefing.taskId}, attempt ${briefing.attempt}): ${briefing.title}\n\nSpec:\n${briefing.spec}\n\nAcceptance criteria:\n${briefing.acceptance}\n\nScope:\n${bullet(briefing.scope, '- not limited')}`;
    case 'judge': {
      const { tasks } = briefing;
      const commits = bullet(
        briefing.commits.map((commit) => `${commit.commit.slice(0, 10)} ${commit.subject}`),
        '- no commits landed',
      );
      const handoffs = briefing.handoffs.map(
        (item) => `### ${item.taskId} ${item.status}: ${item.title}\n${item.handoff}`,
      );
      return `${header}\n\nTasks: ${tasks.done} done, ${tasks.failed} failed, ${tasks.open} open, ${tasks.cancelled} cancelled.\n\nCommits of this cycle:\n${commits}\n\nDiff stat:\n${briefing.diffStat || '(empty)'}\n\nChecks:\n${briefing.checks || '(no checks configured)'}\n\nHandoffs:\n${handoffs.join('\n\n') || '(none)'}`;
    }
  }
}

/**
 * The first user message of an agent: readable text for a model, and the same facts as JSON in
 * a <cadre-briefing> block so that simulated policies (and transcripts) can read them exactly.
 */
export function renderBriefing(briefing: Briefing): string {
  return `${describe(briefing)}\n\n${open}\n${JSON.stringify(briefing)}\n${close}`;
}

/** Reads the briefing block out of a message, or null when there is none or it is malformed. */
export function parseBriefing(text: string): Briefing | null {
  const start = text.lastIndexOf(open);
  const end = text.lastIndexOf(close);
  if (start === -1 || end < start) return null;
  try {
    const parsed = Briefing.safeParse(JSON.parse(text.slice(start + open.length, end)));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
