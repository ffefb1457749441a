import type { ConflictReport } from './conflict-report.ts';

/**
 * The conflict report as text for a worker agent: what conflicted, both sides of each hunk, which
 * commits (and tasks) changed those lines, and what to do next.
 */
export function formatConflictReport(report: ConflictReport): string {
  const lines = [
    `Your change conflicts with the shared branch (now at ${report.tip.slice(0, 12)}).`,
    'Your worktree has been moved onto that tip with your change re-applied; the conflicting',
    'regions are marked in the files below. Edit each file to keep what both sides meant, remove',
    'every marker line, then call land again.',
    '',
  ];
  for (const file of report.files) {
    lines.push(`## ${file.path} (${file.conflict})`, file.message);
    for (const commit of file.commits) {
      const task = commit.taskId ? ` [${commit.taskId}${commit.agentId ? ` by ${commit.agentId}` : ''}]` : '';
      lines.push(`- changed by ${commit.commit.slice(0, 12)} ${commit.subject}${task}`);
    }
    for (const hunk of file.hunks) {
      lines.push(`### line ${hunk.line}`, 'branch:', '```', hunk.branch.trimEnd(), '```');
      if (hunk.base !== null) lines.push('common ancestor:', '```', hunk.base.trimEnd(), '```');
      lines.push('yours:', '```', hunk.task.trimEnd(), '```');
    }
    lines.push('');
  }
  return lines.join('\n');
}
