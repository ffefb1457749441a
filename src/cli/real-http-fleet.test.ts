import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  expectCostsMatchPrices,
  expectEachTaskLandedOnce,
  expectSubplanners,
  expectTwoJudgedCycles,
  expectUsageMatchesLedger,
} from './__fixtures__/real-http-checks.ts';
import {
  rolePlayModel,
  runRealHttpFleet,
  type WireCaseName,
  wireCases,
} from './__fixtures__/real-http-fleet.ts';

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
    it(`${wire}: plans, works, lands and judges two cycles, each role charged what was served`, async () => {
      const price = { input: 2, output: 10 };
      const run = await runRealHttpFleet({
        wire,
        scratch,
        models: { pricing: { [wireCases[wire].modelId(rolePlayModel)]: price } },
      });
      expectTwoJudgedCycles(run);
      expectSubplanners(run);
      expectEachTaskLandedOnce(run);
      expectUsageMatchesLedger(run);
      // the server's ledger names the model as sent; a compatible server is sent its configured name
      const servedName = wire === 'openai-compatible' ? `${rolePlayModel}-served` : rolePlayModel;
      expectCostsMatchPrices(run, { [servedName]: price });
      // every request went over the wire this case names, with its key, and (as cadre always asks) streaming
      const [header, key] = wireCases[wire].keyHeader;
      for (const request of run.server.requests) {
        expect(request.protocol).toBe(protocolOf[wire]);
        expect(request.headers[header]).toBe(key);
        expect(request.stream).toBe(true);
      }
    }, 180_000);
  }

  it('openai-chat without streaming (transport "generate"): the same two cycles, each role charged at its price', async () => {
    // one model name per role, each priced differently, so a cost charged at the wrong model's price shows
    const chains = { planner: ['rp-planner'], worker: ['rp-worker'], judge: ['rp-judge'] };
    const prices = {
      'rp-planner': { input: 3, output: 15 },
      'rp-worker': { input: 0.25, output: 2 },
      'rp-judge': { input: 5, output: 25 },
    };
    const run = await runRealHttpFleet({
      wire: 'openai-chat',
      scratch,
      chains,
      models: {
        transport: { 'openai-chat:*': 'generate' },
        // by model id and by bare model name: both forms of a pricing key
        pricing: {
          'openai-chat:rp-planner': prices['rp-planner'],
          'openai-chat:rp-worker': prices['rp-worker'],
          'rp-judge': prices['rp-judge'],
        },
      },
    });
    expectTwoJudgedCycles(run);
    expectSubplanners(run);
    expectEachTaskLandedOnce(run);
    expectUsageMatchesLedger(run);
    expectCostsMatchPrices(run, prices);
    expect(run.server.requests.length).toBeGreaterThan(0);
    for (const request of run.server.requests) {
      expect(request.protocol).toBe('openai-chat');
      expect(request.headers.authorization).toBe('Bearer fake-openai-key');
      expect(request.stream).toBe(false);
      expect(request.body.stream_options).toBeUndefined();
    }
  }, 180_000);
});
