import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { type ProtocolServer, type Responder, startProtocolServer } from '../../llm/testing/index.ts';
import { createSandbox, type Sandbox, SandboxConfig, type SandboxNetwork } from '../../sandbox/index.ts';
import { createTempRepo, type TempRepo } from '../../workspace/testing/temp-repo.ts';
import type { EngineAdapter, EngineEvent } from '../engine-adapter.ts';
import { type EngineProgram, findEngineProgram } from '../find-engine-program.ts';
import { type EngineProcessEnd, runEngineProcess } from '../run-engine-process.ts';

/** A scratch repository, a local protocol server and the real program of one engine, for engine tests. */
export interface EngineTestKit {
  repo: TempRepo;
  server: ProtocolServer;
  program: EngineProgram;
  sandbox: Sandbox;
  /** The network the program gets: the protocol server's address only. */
  network: SandboxNetwork;
  stateDirectory: string;
  /** One run of the program in the repository, in the sandbox; resolves with its end and every event. */
  run(options: {
    prompt: string;
    sessionId?: string | null;
    model?: string | null;
    maxTurns?: number;
    timeoutMs?: number;
    /** Overrides the kit's allow-list network (to compare, or where a program ignores proxies). */
    network?: SandboxNetwork;
    signal?: AbortSignal;
    onEvent?: (event: EngineEvent) => void;
  }): Promise<{ end: EngineProcessEnd; events: EngineEvent[] }>;
  close(): Promise<void>;
}

/**
 * Starts a kit for `adapter`: a temp repository, a protocol server answering with `respond`, and the
 * engine's real program from node_modules (the test fails loudly when it is not installed).
 */
export async function createEngineTestKit(
  adapter: EngineAdapter,
  respond: Responder,
): Promise<EngineTestKit> {
  const lookup = await findEngineProgram(adapter, undefined, AbortSignal.timeout(30_000));
  if (lookup.type !== 'found') throw new Error(lookup.message);
  const repo = createTempRepo();
  const server = await startProtocolServer({ respond });
  const stateDirectory = join(repo.directory, 'engine-state');
  mkdirSync(stateDirectory, { recursive: true });
  const port = new URL(server.baseURL).port;
  const network: SandboxNetwork = { type: 'allow-list', hosts: [`127.0.0.1:${port}`] };
  const sandbox = createSandbox();
  const kit: EngineTestKit = {
    repo,
    server,
    program: lookup.program,
    sandbox,
    network,
    stateDirectory,
    async run(options) {
      const events: EngineEvent[] = [];
      const end = await runEngineProcess({
        adapter,
        sandbox,
        sandboxConfig: SandboxConfig.parse({}),
        network: options.network ?? network,
        programPaths: lookup.program.mountPaths,
        request: {
          programPath: lookup.program.path,
          prompt: options.prompt,
          sessionId: options.sessionId ?? null,
          model: options.model ?? null,
          worktreePath: repo.userRepo,
          stateDirectory,
          connection: { baseURL: server.baseURL, apiKey: 'sk-cadre-test' },
          maxTurns: options.maxTurns ?? 20,
          maxBudgetUsd: null,
        },
        timeoutMs: options.timeoutMs ?? 120_000,
        signal: options.signal ?? AbortSignal.timeout(180_000),
        onEvent: (event) => {
          events.push(event);
          options.onEvent?.(event);
        },
      });
      return { end, events };
    },
    async close() {
      await server.close();
      repo.cleanup();
    },
  };
  return kit;
}

/**
 * Registers an afterEach that closes every kit the describe block's tests started, and returns the
 * starter: a test that fails halfway still leaves no protocol server or temp repository behind.
 */
export function useEngineTestKits(): (adapter: EngineAdapter, respond: Responder) => Promise<EngineTestKit> {
  const started: EngineTestKit[] = [];
  afterEach(async () => {
    for (const kit of started.splice(0)) await kit.close();
  });
  return async (adapter, respond) => {
    const kit = await createEngineTestKit(adapter, respond);
    started.push(kit);
    return kit;
  };
}
