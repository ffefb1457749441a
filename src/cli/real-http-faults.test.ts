import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { FaultInjector, RecordedRequest } from '../llm/testing/protocol-server/protocol-server.ts';
import type { ScriptedReply } from '../llm/testing/protocol-server/scripted-reply.ts';
import { roleOfRequest } from '../llm/testing/role-play/index.ts';
import {
  diagnose,
  expectEachTaskLandedOnce,
  expectTwoJudgedCycles,
  expectUsageMatchesLedger,
} from './__fixtures__/real-http-checks.ts';
import { rolePlayModel, runRealHttpFleet } from './__fixtures__/real-http-fleet.ts';

// the part of a router event these checks read
const RoutedError = z.object({ error: z.object({ type: z.string() }) });

const scratch = mkdtempSync(join(tmpdir(), 'cadre-real-http-faults-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const rateLimited: ScriptedReply = {
  type: 'error',
  status: 429,
  message: 'Rate limit reached, please retry after 1 second',
  headers: { 'retry-after': '1' },
};
const serverError: ScriptedReply = { type: 'error', status: 500, message: 'The server had an error' };
const torn: ScriptedReply = {
  type: 'torn',
  answer: { type: 'text', text: 'half an answer' },
  afterEvents: 2,
};

function modelOf(request: RecordedRequest): string {
  return String(request.body.model ?? '');
}

/** Whether a chain head's name is in the model the request asked for (compatible servers add `-served`). */
function asks(request: RecordedRequest, name: string): boolean {
  return modelOf(request).startsWith(name);
}

describe.concurrent('cadre run over real HTTP while the provider misbehaves', () => {
  it('429 with Retry-After, 500, a torn stream, a hung response and an always-failing first model: nothing lost, nothing landed twice', async () => {
    // one fault per call (its retries go through, so no call spends its attempts on injected faults),
    // spread over the run by counting the role-playing model's requests
    const midRun: ScriptedReply[] = [rateLimited, serverError, torn, { type: 'hang' }];
    const faulted = new Set<string>();
    let rolePlayRequests = 0;
    let nextFaultAt = 4;
    let judgeTorn = false;
    const faults: FaultInjector = (request) => {
      if (asks(request, 'rp-unavailable')) return { type: 'error', status: 503, message: 'overloaded' };
      const nth = rolePlayRequests++;
      const body = JSON.stringify(request.body);
      if (faulted.has(body)) return null;
      const judge = !judgeTorn && roleOfRequest(request) === 'judge';
      const fault = judge ? torn : nth >= nextFaultAt ? (midRun.shift() ?? null) : null;
      if (fault === null) return null;
      judgeTorn ||= judge;
      if (!judge) nextFaultAt = nth + 6;
      faulted.add(body);
      return fault;
    };
    const run = await runRealHttpFleet({
      wire: 'anthropic',
      scratch,
      faults,
      chainHeads: { planner: 'rp-unavailable' },
    });
    expect({ unserved: midRun.length, judgeTorn }).toEqual({ unserved: 0, judgeTorn: true });
    expectTwoJudgedCycles(run);
    expectEachTaskLandedOnce(run);
    expectUsageMatchesLedger(run);
    const routed = run.events.filter((event) => event.type.startsWith('model.'));
    const errorTypes = new Set(routed.map((event) => RoutedError.safeParse(event.payload).data?.error.type));
    for (const type of ['rate-limit', 'server', 'stream-torn', 'timeout'])
      expect(errorTypes.has(type), `no ${type} retry\n${diagnose(run)}`).toBe(true);
    const fallbacks = routed.filter((event) => event.type === 'model.fallback');
    expect(fallbacks.length, diagnose(run)).toBeGreaterThan(0);
    // the planner's first model never answered: every planner answer came from the fallback
    expect(Object.keys(run.served.byModel)).toEqual([rolePlayModel]);
  }, 170_000);

  it('a first model that is gone (404) or refuses the key (401) falls back to the second', async () => {
    const faults: FaultInjector = (request) => {
      if (asks(request, 'rp-retired'))
        return {
          type: 'error',
          status: 404,
          code: 'model_not_found',
          message: `The model ${modelOf(request)} does not exist`,
        };
      if (asks(request, 'rp-revoked'))
        return { type: 'error', status: 401, message: 'Incorrect API key provided' };
      return null;
    };
    const run = await runRealHttpFleet({
      wire: 'openai-chat',
      scratch,
      faults,
      chainHeads: { worker: 'rp-retired', judge: 'rp-revoked' },
    });
    expectTwoJudgedCycles(run);
    expectEachTaskLandedOnce(run);
    expectUsageMatchesLedger(run);
    const asked = new Set(run.server.requests.map(modelOf));
    expect([...asked].sort()).toEqual([rolePlayModel, 'rp-retired', 'rp-revoked']);
  }, 170_000);
});
