import { cpus, loadavg, release, totalmem } from 'node:os';
import type { CadreConfig } from '../orchestrator/index.ts';
import type { SimLatency } from '../protocol/index.ts';
import type { ProcessFigures } from './fleet-bench-probes.ts';
import type { NominalTally } from './fleet-bench-work.ts';

/** What the bench ran with, printed beside the figures so that they can be read and repeated. */
export interface FleetBenchSettings {
  agents: number;
  planners: number;
  workers: number;
  tasks_per_worker: number;
  /** The simulated latency every model call draws from. */
  latency: SimLatency;
  /** Every role's budget, as the fleet config gave it (the defaults unless said otherwise). */
  budgets: CadreConfig['fleet']['budgets'];
  lease_ttl_ms: number;
  /** Nominal time of one tool call: the scratch workspace's tools do no real work, so none is invented. */
  tool_nominal_ms: 0;
  /** How a model call is told to be work or polling. */
  work_rule: string;
  machine: {
    cores: number;
    memory_gb: number;
    os: string;
    node: string;
    /** Node's flags (NODE_OPTIONS and the command line): heap settings change the CPU figures. */
    node_options: string;
    /** Other work on the machine shows here: the figures are noisy when it exceeds the cores. */
    load_average_1m_at_end: number;
  };
}

/** The targets for 1,000 agents at 1-s latency, judged on these figures; each can be false. */
export interface FleetBenchTargets {
  efficiency_ge_0_95: boolean;
  event_loop_lag_p99_le_50_ms: boolean;
  process_cpu_le_1_ms_per_step: boolean;
  peak_rss_le_1_gb: boolean;
  /** Whether the run had the targets' settings (≥ 1,000 agents, 1-s fixed latency); else the rest is a preview. */
  at_target_settings: boolean;
}

/** The JSON `cadre bench fleet` prints. */
export interface FleetBenchResult {
  settings: FleetBenchSettings;
  /** Work tasks done (plan and judge tasks are not counted). */
  tasks_done: number;
  /** Model calls for task steps, from the agents' own totals on the board. */
  steps: number;
  wall_s: number;
  /** Nominal latency of the model calls that did work, plus nominal tool time (0): what efficiency counts. */
  work_agent_s: number;
  /** Nominal latency of the calls whose turn only polled the board (not work). */
  polling_agent_s: number;
  /** Wall time the loops measured around model calls and non-waiting tools (the orchestrator's busy time). */
  measured_busy_agent_s: number;
  /** measured_busy_agent_s minus all nominal time (work and polling): waits on the event loop and the board. */
  lag_agent_s: number;
  /** lag_agent_s per model call, in milliseconds. */
  lag_ms_per_call: number;
  /** work_agent_s / (agents × wall_s). */
  efficiency: number;
  /** Model calls the simulation answered, and those whose turn only polled. */
  calls: {
    answered: number;
    polling: number;
    by_role: Record<string, { answered: number; polling: number }>;
  };
  event_loop_lag_ms: ProcessFigures['eventLoopDelayMs'];
  /** CPU of the main thread per step (orchestrator, agent loops, board, sim model, tools' JavaScript). */
  event_loop_cpu_ms_per_step: number;
  /** CPU of every thread per step: adds V8's helper threads and libuv's pool; what capacity is planned on. */
  process_cpu_ms_per_step: number;
  cpu_source: 'main-thread' | 'process';
  /** Of the main thread's CPU per step, what the sim policies took to decide: the simulation's cost, not cadre's. */
  sim_policy_cpu_ms_per_step: number;
  peak_rss_mb: number;
  /** Tasks leased to two owners at once, from the replayed lease log (the board's own audit). */
  double_claims: number;
  completed_twice: number;
  /** Work tasks not done when the run ended. */
  lost: number;
  /** How the agents ended, by role and end reason. */
  end_reasons: Record<string, number>;
  targets: FleetBenchTargets;
}

/** What the run produced, before it becomes the printed figures. */
export interface FleetBenchMeasures {
  settings: Omit<FleetBenchSettings, 'machine' | 'tool_nominal_ms'>;
  process: ProcessFigures;
  nominal: NominalTally;
  byPolicy: ReadonlyMap<string, NominalTally>;
  measuredBusyMs: number;
  tasksDone: number;
  steps: number;
  audit: { doubleClaims: number; completedMoreThanOnce: number };
  lost: number;
  endReasons: Record<string, number>;
}

const round = (value: number, digits: number) => Number(value.toFixed(digits));

/** Turns the measures into the printed figures and judges the targets on them. */
export function reportFleetBench(measures: FleetBenchMeasures): FleetBenchResult {
  const { process: figures, nominal, settings } = measures;
  const wallSeconds = figures.wallMs / 1000;
  const workMs = nominal.modelMs - nominal.pollingMs;
  const lagMs = measures.measuredBusyMs - nominal.modelMs;
  const efficiency = workMs / 1000 / (settings.agents * wallSeconds);
  const perStep = (milliseconds: number) => round(milliseconds / Math.max(1, measures.steps), 3);
  const processCpuPerStep = perStep(figures.processCpuMs);
  const peakRssMb = Math.round(figures.peakRssBytes / 1024 / 1024);
  const byRole: Record<string, { answered: number; polling: number }> = {};
  for (const [name, tally] of measures.byPolicy)
    byRole[name] = { answered: tally.calls, polling: tally.pollingCalls };
  return {
    settings: {
      ...settings,
      tool_nominal_ms: 0,
      machine: {
        cores: cpus().length,
        memory_gb: round(totalmem() / 1024 ** 3, 1),
        os: `${process.platform} ${release()}`,
        node: process.version,
        node_options: [process.env.NODE_OPTIONS ?? '', ...process.execArgv].join(' ').trim(),
        load_average_1m_at_end: round(loadavg()[0] ?? 0, 2),
      },
    },
    tasks_done: measures.tasksDone,
    steps: measures.steps,
    wall_s: round(wallSeconds, 2),
    work_agent_s: round(workMs / 1000, 1),
    polling_agent_s: round(nominal.pollingMs / 1000, 1),
    measured_busy_agent_s: round(measures.measuredBusyMs / 1000, 1),
    lag_agent_s: round(lagMs / 1000, 1),
    lag_ms_per_call: round(lagMs / Math.max(1, nominal.calls), 1),
    efficiency: round(efficiency, 3),
    calls: { answered: nominal.calls, polling: nominal.pollingCalls, by_role: byRole },
    event_loop_lag_ms: figures.eventLoopDelayMs,
    // where threads cannot be told apart, the whole process stands in: never an undercount
    event_loop_cpu_ms_per_step: perStep(figures.mainThreadCpuMs ?? figures.processCpuMs),
    process_cpu_ms_per_step: processCpuPerStep,
    cpu_source: figures.mainThreadCpuMs === null ? 'process' : 'main-thread',
    sim_policy_cpu_ms_per_step: perStep(nominal.policyMs),
    peak_rss_mb: peakRssMb,
    double_claims: measures.audit.doubleClaims,
    completed_twice: measures.audit.completedMoreThanOnce,
    lost: measures.lost,
    end_reasons: measures.endReasons,
    targets: {
      efficiency_ge_0_95: efficiency >= 0.95,
      event_loop_lag_p99_le_50_ms: figures.eventLoopDelayMs.p99 <= 50,
      process_cpu_le_1_ms_per_step: processCpuPerStep <= 1,
      peak_rss_le_1_gb: peakRssMb <= 1024,
      at_target_settings:
        settings.agents >= 1000 && settings.latency.type === 'fixed' && settings.latency.ms === 1000,
    },
  };
}
