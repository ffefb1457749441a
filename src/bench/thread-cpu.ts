import { readFileSync } from 'node:fs';

/** CPU time of the process, and of its main thread (the event loop) where the OS tells it apart. */
export interface CpuSample {
  /** All threads: the event loop, V8's helpers (GC), libuv's pool (file I/O). */
  processMs: number;
  /** The main thread alone, or null where /proc does not show threads (not Linux). */
  mainThreadMs: number | null;
}

// utime and stime are fields 14 and 15 of /proc/<pid>/task/<tid>/stat, in clock ticks; Linux uses
// 100 ticks a second for these on every architecture Node runs on
const ticksPerSecond = 100;

function mainThreadMs(): number | null {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    // the command name (field 2) may hold spaces; the numeric fields start after its closing paren
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? (ticks * 1000) / ticksPerSecond : null;
  } catch {
    return null;
  }
}

/** Reads the CPU time used so far. */
export function sampleCpu(): CpuSample {
  const usage = process.cpuUsage();
  return { processMs: (usage.user + usage.system) / 1000, mainThreadMs: mainThreadMs() };
}

/** CPU time used between two samples. */
export function cpuBetween(before: CpuSample, after: CpuSample): CpuSample {
  return {
    processMs: after.processMs - before.processMs,
    mainThreadMs:
      before.mainThreadMs === null || after.mainThreadMs === null
        ? null
        : after.mainThreadMs - before.mainThreadMs,
  };
}
