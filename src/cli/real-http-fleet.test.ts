import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  expectEachTaskLandedOnce,
  expectSubplanners,
  expectTwoJudgedCycles,
  expectUsageMatchesLedger,
} from './__fixtures__/real-http-checks.ts';
import { runRealHttpFleet, type WireCaseName, wireCases } from './__fixtures__/real-http-fleet.ts';

const scratch = mkdtempSync(join(tmpdir(), 'cadre-real-http-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const protocolOf: Record<WireCaseName, string> = {
  openai: 'openai-responses',
  'openai-chat': 'openai-chat',
  anthropic: 'anthropic-messages',
  'openai-compatible': 'openai-chat',
};

// Each case is a whole `cadre run` in its own process, talking HTTP to the role-playing model.
describe.concurrent('cadre run over real HTTP, one wire protocol at a time', () => {
  for (const wire of Object.keys(wireCases) as WireCaseName[]) {
    it(`${wire}: plans, works, lands and judges two cycles`, async () => {
      const run = await runRealHttpFleet({ wire, scratch });
      expectTwoJudgedCycles(run);
      expectSubplanners(run);
      expectEachTaskLandedOnce(run);
      expectUsageMatchesLedger(run);
      // every request went over the wire this case names, with its key, and (as cadre always asks) streaming
      const [header, key] = wireCases[wire].keyHeader;
      for (const request of run.server.requests) {
        expect(request.protocol).toBe(protocolOf[wire]);
        expect(request.headers[header]).toBe(key);
        expect(request.stream).toBe(true);
      }
    }, 150_000);
  }
});
