/** One worktree's times in a `cadre bench worktrees` arm. */
export interface WorktreeTiming {
  /** From `create` being called to the worktree being ready (clone + readying). */
  createMs: number;
  /** Readying alone: the ready manager's `readyMs`, or the own setup's duration. */
  readyMs: number;
}

/** The targets for ready worktrees, at the bench's count. */
export const worktreeTargets = {
  /** Median time to ready a worktree after the first, in seconds. */
  nextP50Seconds: 2,
  /** Disk of each later worktree as a fraction of the first's (template included). */
  diskRatio: 0.1,
} as const;

/** Nearest-rank percentile of an ascending list (0 for an empty one): p99 of 19 samples is the largest. */
export function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.max(1, Math.ceil(fraction * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1] ?? 0;
}

/** Rounds to `digits` decimals, so the JSON shows what a person can read. */
export function round(value: number, digits = 2): number {
  return Math.round(value * 10 ** digits) / 10 ** digits;
}

/** Median and 99th percentile in seconds of a list of milliseconds. */
export function secondsSpread(milliseconds: readonly number[]): { p50: number; p99: number } {
  const sorted = [...milliseconds].sort((a, b) => a - b);
  return { p50: round(percentile(sorted, 0.5) / 1000), p99: round(percentile(sorted, 0.99) / 1000) };
}

/**
 * Bytes per path from `du -s --block-size=1 A B C` (lines `bytes<TAB>path`, in argument order).
 * du counts an inode with several links once, at the first path it meets it under, so later paths
 * show only what they do not share with earlier ones.
 */
export function parseDuOutput(output: string, paths: readonly string[]): number[] {
  const byPath = new Map<string, number>();
  for (const line of output.split('\n')) {
    const match = /^(\d+)\t(.+)$/.exec(line);
    if (match?.[1] && match[2]) byPath.set(match[2], Number(match[1]));
  }
  return paths.map((path) => {
    const bytes = byPath.get(path);
    // du prints nothing for a path whose every inode it has counted already
    return bytes ?? 0;
  });
}

/** Disk figures of the ready arm: what the first worktree costs (its template included) and what each next one adds. */
export interface ReadyDisk {
  templateBytes: number;
  firstBytes: number;
  nextP50Bytes: number;
  nextMeanBytes: number;
  /** Mean of the next worktrees over the first's footprint. */
  ratio: number;
}

/** Disk figures from du's unique bytes of [template, first worktree, next worktrees…]. */
export function readyDisk(unique: readonly number[]): ReadyDisk {
  const [template = 0, first = 0, ...next] = unique;
  const firstBytes = template + first;
  const nextMeanBytes = mean(next);
  return {
    templateBytes: template,
    firstBytes,
    nextP50Bytes: percentile(
      [...next].sort((a, b) => a - b),
      0.5,
    ),
    nextMeanBytes: Math.round(nextMeanBytes),
    ratio: firstBytes === 0 ? 0 : round(nextMeanBytes / firstBytes, 4),
  };
}

/** Arithmetic mean (0 for an empty list). */
export function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** The targets judged on the figures; each can come out false. */
export interface WorktreeTargetResults {
  next_p50_le_2_s: boolean;
  disk_ratio_le_0_10: boolean;
  all_tests_pass: boolean;
}

/** Judges the targets: p50 after the first within 2 s, disk ratio within 10 %, every test run passing. */
export function judgeTargets(figures: {
  nextP50Seconds: number;
  diskRatio: number;
  testsRun: number;
  testsPassed: number;
}): WorktreeTargetResults {
  return {
    next_p50_le_2_s: figures.nextP50Seconds <= worktreeTargets.nextP50Seconds,
    disk_ratio_le_0_10: figures.diskRatio <= worktreeTargets.diskRatio,
    all_tests_pass: figures.testsRun > 0 && figures.testsPassed === figures.testsRun,
  };
}

/** Runs `work` over `items` with at most `limit` at once; results keep the items' order. */
export async function mapWithLimit<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}
