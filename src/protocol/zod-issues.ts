import type { z } from 'zod';

/**
 * One validation problem as "path: message", the form every boundary (board, config, HTTP API)
 * reports bad input in; `rootLabel` names the value itself when the problem has no path.
 */
export function describeIssue(issue: z.core.$ZodIssue, rootLabel: string): string {
  const path = issue.path.map(String).join('.') || rootLabel;
  return `${path}: ${issue.message}`;
}
