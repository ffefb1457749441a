import type { SandboxRun } from './create-sandbox.ts';
import type { SandboxConfig } from './sandbox-config.ts';

/**
 * Lines that explain what the sandbox did to a command, for whoever reads its output (a model, a
 * check report): a limit it ran into, and what the network allow-list refused. Empty when nothing
 * happened, so ordinary output is unchanged.
 */
export function sandboxNotes(run: Extract<SandboxRun, { type: 'ran' }>, config: SandboxConfig): string[] {
  const notes: string[] = [];
  for (const hit of run.limitsHit) {
    switch (hit.type) {
      case 'memory':
        notes.push(
          `[sandbox: the command reached its memory limit of ${mebibytes(config.limits.memoryBytes)} MiB; ` +
            'processes over it were killed (tools.shell.limits.memoryBytes)]',
        );
        break;
      case 'processes':
        notes.push(
          `[sandbox: the command reached its limit of ${config.limits.maxProcesses} processes; ` +
            'further forks failed (tools.shell.limits.maxProcesses)]',
        );
        break;
      default:
        assertNever(hit);
    }
  }
  // each reason names its target and why (not on the list, or a name resolving to loopback)
  const reasons = new Set<string>();
  for (const decision of run.network) if (decision.type === 'refused') reasons.add(decision.reason);
  for (const reason of [...reasons].slice(0, 10)) notes.push(`[sandbox: network access refused: ${reason}]`);
  return notes;
}

function mebibytes(bytes: number): number {
  return Math.round(bytes / 1024 ** 2);
}

function assertNever(value: never): never {
  throw new Error(`unhandled limit ${JSON.stringify(value)}`);
}
