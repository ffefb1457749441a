import type { WorktreesBenchResult } from './worktrees-bench.ts';

const megabytes = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(1)} MB`;
const seconds = (value: number) => `${value.toFixed(2)} s`;
const verdict = (passed: boolean) => (passed ? 'met' : 'MISSED');

/** The short table `cadre bench worktrees` prints without `--json`: both arms side by side, then the targets. */
export function worktreesTable(result: WorktreesBenchResult): string {
  const { ready, own_setup: own, targets } = result;
  const rows: [string, string, string][] = [
    ['', 'ready (template)', 'own setup'],
    ['first worktree', seconds(ready.first_s), seconds(own.first_s)],
    ['next, p50', seconds(ready.next_p50_s), seconds(own.p50_s)],
    ['next, p99', seconds(ready.next_p99_s), seconds(own.p99_s)],
    ['disk, first (with template)', megabytes(ready.disk_first_bytes), megabytes(own.disk_mean_bytes)],
    ['disk, each next (mean)', megabytes(ready.disk_next_mean_bytes), megabytes(own.disk_mean_bytes)],
    ['wall time, all worktrees', seconds(ready.wall_s), seconds(own.wall_s)],
  ];
  const width = Math.max(...rows.map((row) => row[0].length));
  const second = Math.max(...rows.map((row) => row[1].length));
  const lines = [
    `${result.count} worktrees of ${result.repo} (${result.packages === null ? 'no npm lock file' : `${result.packages} packages`}), share ${result.share}, concurrency ${result.concurrency}`,
    `setup: ${result.setup_command}${result.cache_prepare_s === null ? '' : ` (npm cache filled in ${seconds(result.cache_prepare_s)}, not measured)`}`,
    '',
    ...rows.map(([label, a, b]) => `${label.padEnd(width)}  ${a.padEnd(second)}  ${b}`),
    '',
    `tests passing in ready worktrees: ${ready.tests_passed}/${ready.tests_run} (\`${result.test_command}\`)`,
    `targets: next p50 <= 2 s ${verdict(targets.next_p50_le_2_s)}; disk per next worktree <= 10 % of the first's ${verdict(targets.disk_ratio_le_0_10)} (${(ready.disk_ratio * 100).toFixed(1)} %); all tests pass ${verdict(targets.all_tests_pass)}`,
  ];
  if (ready.test_failure) lines.push('', 'first failing test run:', ready.test_failure);
  return `${lines.join('\n')}\n`;
}
