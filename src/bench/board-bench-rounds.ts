import type { ClaimAudit } from './board-bench-claims.ts';

/** What one round of a board bench measured. */
export interface BenchRound<Figure extends string> {
  /** Each figure of the round, per second. */
  figures: Record<Figure, number>;
  /** The audits of the runs claimed on in the round. */
  audits: readonly ClaimAudit[];
}

/** Options for repeating a board bench's measurements. */
export interface BenchRoundsOptions<Figure extends string> {
  rounds: number;
  signal: AbortSignal;
  /** Progress lines for people; one a round. */
  progress?: ((line: string) => void) | undefined;
  /** Each figure's name in the progress lines, in the order they are printed. */
  labels: Record<Figure, string>;
  /** Measures round `round` (from 1). */
  measure: (round: number) => Promise<BenchRound<Figure>>;
}

/** The exactly-once fields of a board bench's JSON, summed over every audited run (all must be 0). */
export interface AuditFields {
  double_claims: number;
  lost: number;
  completed_twice: number;
  /** Tasks whose row disagrees with their event log (must be 0). */
  status_mismatches: number;
}

/** The fields both board benches' JSON share, after `backend` (and `server`). */
export interface ClaimFields {
  tasks: number;
  workers: number;
  processes: number;
  rounds: number;
  claims_per_s: number;
  multi_process_claims_per_s: number;
}

/** Every field both board benches' JSON share. */
export type BoardBenchFields = ClaimFields & AuditFields;

/** The settings a board bench ran with, as its JSON repeats them. */
export interface ClaimSettings {
  tasks: number;
  workers: number;
  processes: number;
  rounds: number;
}

/** The best of each figure over the rounds, and the audits summed. */
export interface BenchRoundsResult<Figure extends string> {
  best: Record<Figure, number>;
  audit: AuditFields;
}

/** `part / whole` to three decimals, as the benches report ratios. */
export function ratio(part: number, whole: number): number {
  return Number((part / whole).toFixed(3));
}

/** The shared JSON fields, from the settings and the best in-process and multi-process claim rates. */
export function claimFields(
  settings: ClaimSettings,
  best: { inProcess: number; multiProcess: number },
): ClaimFields {
  return {
    tasks: settings.tasks,
    workers: settings.workers,
    processes: settings.processes,
    rounds: settings.rounds,
    claims_per_s: Math.round(best.inProcess),
    multi_process_claims_per_s: Math.round(best.multiProcess),
  };
}

function addAudits(total: AuditFields, audits: readonly ClaimAudit[]): void {
  for (const audit of audits) {
    total.double_claims += audit.doubleClaims;
    total.lost += audit.notDone;
    total.status_mismatches += audit.statusMismatches;
    total.completed_twice += audit.completedMoreThanOnce;
  }
}

/**
 * Runs `rounds` rounds of measurements and keeps the best of each figure, because these machines
 * are shared and noisy, while every audit counts: one lost task in any round is a failure.
 */
export async function runBenchRounds<Figure extends string>(
  options: BenchRoundsOptions<Figure>,
): Promise<BenchRoundsResult<Figure>> {
  const names = Object.keys(options.labels) as Figure[];
  const best = Object.fromEntries(names.map((name) => [name, 0])) as Record<Figure, number>;
  const audit: AuditFields = { double_claims: 0, lost: 0, completed_twice: 0, status_mismatches: 0 };
  for (let round = 1; round <= options.rounds; round++) {
    options.signal.throwIfAborted();
    const { figures, audits } = await options.measure(round);
    addAudits(audit, audits);
    for (const name of names) best[name] = Math.max(best[name], figures[name]);
    const parts = names.map((name) => `${options.labels[name]} ${Math.round(figures[name])}/s`);
    options.progress?.(`round ${round}/${options.rounds}: ${parts.join(', ')}`);
  }
  return { best, audit };
}
