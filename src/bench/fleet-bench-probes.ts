import { monitorEventLoopDelay } from 'node:perf_hooks';
import { cpuBetween, sampleCpu } from './thread-cpu.ts';

/** What the process went through while the fleet ran: wall time, CPU, memory and event-loop delay. */
export interface ProcessFigures {
  wallMs: number;
  /** CPU of every thread, in milliseconds. */
  processCpuMs: number;
  /** CPU of the main thread, or null where the OS cannot tell threads apart. */
  mainThreadCpuMs: number | null;
  /** The kernel's high-water mark of the resident set (getrusage's maxrss): the peak, start-up included. */
  peakRssBytes: number;
  /** How late a 10-ms timer fired on the event loop beyond its 10 ms, in milliseconds (perf_hooks.monitorEventLoopDelay). */
  eventLoopDelayMs: { p50: number; p99: number; max: number };
}

/** Measures one stretch of the process; `stop` ends every probe and returns the figures. */
export interface ProcessProbes {
  stop(): ProcessFigures;
}

/**
 * Starts the probes. The event-loop histogram samples every 10 ms: an agent's timers and the
 * board's callbacks wait at least that long when the loop is overloaded, so its p99 says whether a
 * 1-s simulated call can still take about 1 s.
 */
export function startProcessProbes(): ProcessProbes {
  const resolutionMs = 10;
  const delay = monitorEventLoopDelay({ resolution: resolutionMs });
  delay.enable();
  const cpuBefore = sampleCpu();
  const started = performance.now();
  return {
    stop() {
      const wallMs = performance.now() - started;
      const cpu = cpuBetween(cpuBefore, sampleCpu());
      delay.disable();
      // in kilobytes; exact where sampling every 100 ms could miss a short peak, and costs nothing meanwhile
      const highWater = process.resourceUsage().maxRSS * 1024;
      // the histogram holds whole intervals between samples: an idle loop reads 10 ms, so the
      // sampling interval is taken off to leave the lag
      const toMs = (nanoseconds: number) => Number(Math.max(0, nanoseconds / 1e6 - resolutionMs).toFixed(1));
      return {
        wallMs,
        processCpuMs: cpu.processMs,
        mainThreadCpuMs: cpu.mainThreadMs,
        peakRssBytes: Math.max(highWater, process.memoryUsage.rss()),
        eventLoopDelayMs: {
          p50: toMs(delay.percentile(50)),
          p99: toMs(delay.percentile(99)),
          max: toMs(delay.max),
        },
      };
    },
  };
}
