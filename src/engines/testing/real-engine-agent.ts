import { readdirSync, readFileSync } from 'node:fs';
import { type AgentEvent, type AgentResult, createMemoryInbox, type MemoryInbox } from '../../agent/index.ts';
import type { RecordedRequest, Responder } from '../../llm/testing/index.ts';
import { EngineSettings } from '../../protocol/index.ts';
import type { EngineAdapter } from '../engine-adapter.ts';
import type { EngineAgentOptions } from '../run-engine-agent.ts';
import { createEngineTestKit, type EngineTestKit } from './engine-test-kit.ts';
import { startEngineAgent } from './start-engine-agent.ts';
import { waitUntil } from './wait-until.ts';

/** The real program of one engine run as a cadre agent by runEngineAgent, with an inbox to steer it. */
export interface RealEngineAgentKit {
  kit: EngineTestKit;
  inbox: MemoryInbox;
  /** Every event of the agent, as it came. */
  events: AgentEvent[];
  /** Runs the agent with the kit's parts and `overrides`. */
  start(overrides?: Partial<EngineAgentOptions>): Promise<AgentResult>;
  /** Resolves once `predicate` holds, polled every 10 ms; rejects after `timeoutMs` naming `what`. */
  waitFor(what: string, predicate: () => boolean, timeoutMs?: number): Promise<void>;
  /** Requests the server got whose body (as JSON text) contains `text`. */
  requestsContaining(text: string): RecordedRequest[];
  /**
   * Host pids of processes of this agent's program: the shell and bubblewrap that start it (their
   * command lines name the state directory), and the program and its children (their environment does).
   */
  liveProgramProcesses(): number[];
  close(): Promise<void>;
}

/** Reads a file of /proc, '' when the process is gone or hidden. */
function procFile(pid: string, name: string): string {
  try {
    return readFileSync(`/proc/${pid}/${name}`, 'utf8');
  } catch {
    return '';
  }
}

/** Starts the engine's real program behind a protocol server answering with `respond`. */
export async function createRealEngineAgentKit(
  adapter: EngineAdapter,
  respond: Responder,
): Promise<RealEngineAgentKit> {
  const kit = await createEngineTestKit(adapter, respond);
  const inbox = createMemoryInbox();
  const events: AgentEvent[] = [];
  return {
    kit,
    inbox,
    events,
    start(overrides) {
      return startEngineAgent(
        {
          adapter,
          program: kit.program,
          sandbox: kit.sandbox,
          network: kit.network,
          connection: { baseURL: kit.server.baseURL, apiKey: 'sk-cadre-test' },
          model: null,
          settings: EngineSettings.parse({ timeoutMs: 60_000 }),
          worktreePath: kit.repo.userRepo,
          stateDirectory: kit.stateDirectory,
          inbox,
          events,
          timeoutMs: 60_000,
        },
        overrides,
      );
    },
    waitFor(what, predicate, timeoutMs = 20_000) {
      return waitUntil(predicate, timeoutMs, `waitFor: ${what} did not happen within ${timeoutMs} ms`);
    },
    requestsContaining(text) {
      const needle = JSON.stringify(text).slice(1, -1);
      return kit.server.requests.filter((request) => JSON.stringify(request.body).includes(needle));
    },
    liveProgramProcesses() {
      const live: number[] = [];
      for (const entry of readdirSync('/proc')) {
        if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
        if (
          procFile(entry, 'cmdline').includes(kit.stateDirectory) ||
          procFile(entry, 'environ').includes(kit.stateDirectory)
        )
          live.push(Number(entry));
      }
      return live;
    },
    close: () => kit.close(),
  };
}
