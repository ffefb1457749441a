import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createSeededRandom, type Random } from '../llm/index.ts';
import type { ConflictReport } from '../workspace/index.ts';
import { takeBothSides } from './landing-resolution.ts';

/** One simulated change of `cadre bench queue`: the same in every arm. */
export interface QueueBenchChange {
  index: number;
  /** Its file says BROKEN, so any tree holding it fails the checks. */
  bad: boolean;
  /** The pair it belongs to: both changes of a pair edit the same line of `shared.txt`; null for none. */
  pair: number | null;
}

/** The generated changes and the seed repository they are made against. */
export interface QueueBenchPlan {
  changes: QueueBenchChange[];
  /** The seed commit's files. */
  files: Record<string, string>;
}

/** The file every conflicting pair edits; its lines are spaced so that different pairs never touch. */
export const sharedFile = 'shared.txt';
const linesPerPair = 3;

/**
 * Picks exactly round(changes × badRate) bad changes and 2 × round(changes × conflictRate / 2)
 * changes in conflicting pairs, each set drawn from its own seeded shuffle, so a seed gives the same
 * changes to every arm and every run.
 */
export function planQueueBenchChanges(options: {
  changes: number;
  badRate: number;
  conflictRate: number;
  seed: number;
}): QueueBenchPlan {
  const random = createSeededRandom(options.seed);
  const bad = new Set(
    shuffled(options.changes, random).slice(0, Math.round(options.changes * options.badRate)),
  );
  const pairs = Math.min(
    Math.floor(options.changes / 2),
    Math.round((options.changes * options.conflictRate) / 2),
  );
  const paired = shuffled(options.changes, random).slice(0, pairs * 2);
  const pairOf = new Map(paired.map((index, position) => [index, Math.floor(position / 2)]));
  const changes = Array.from({ length: options.changes }, (_, index) => ({
    index,
    bad: bad.has(index),
    pair: pairOf.get(index) ?? null,
  }));
  const shared = Array.from(
    { length: Math.max(1, pairs) * linesPerPair + 1 },
    (_, line) => `shared line ${line}`,
  );
  return {
    changes,
    files: { 'README.md': '# merge queue bench\n', [sharedFile]: `${shared.join('\n')}\n` },
  };
}

/** Writes the change into its worktree: a file of its own (BROKEN when bad) and, in a pair, its edit of the pair's line. */
export async function writeQueueBenchChange(worktree: string, change: QueueBenchChange): Promise<void> {
  await mkdir(join(worktree, 'changes'), { recursive: true });
  const content = change.bad ? `change ${change.index}: BROKEN\n` : `change ${change.index}: fine\n`;
  await writeFile(join(worktree, 'changes', `change-${change.index}.txt`), content);
  if (change.pair === null) return;
  const path = join(worktree, sharedFile);
  const lines = (await readFile(path, 'utf8')).split('\n');
  lines[change.pair * linesPerPair + 1] = `pair ${change.pair} line, as change ${change.index} has it`;
  await writeFile(path, lines.join('\n'));
}

/** Resolves a reported conflict as a worker would: both sides kept, no markers left. */
export async function resolveQueueBenchConflict(worktree: string, report: ConflictReport): Promise<void> {
  for (const file of report.files) {
    const path = join(worktree, file.path);
    await writeFile(path, takeBothSides(await readFile(path, 'utf8')));
  }
}

/** The numbers 0 … count-1 in a seeded random order (Fisher–Yates). */
function shuffled(count: number, random: Random): number[] {
  const order = Array.from({ length: count }, (_, index) => index);
  for (let index = count - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [order[index], order[other]] = [order[other] as number, order[index] as number];
  }
  return order;
}
