import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ServedTurn } from '../llm/testing/role-play/index.ts';
import {
  diagnose,
  expectEachTaskLandedOnce,
  expectTwoJudgedCycles,
  expectUsageMatchesLedger,
} from './__fixtures__/real-http-checks.ts';
import { runRealHttpFleet, type WireCaseName } from './__fixtures__/real-http-fleet.ts';

const scratch = mkdtempSync(join(tmpdir(), 'cadre-real-http-imperfect-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

// One case per wire format: each says "cut off at the output limit" in its own words.
const wires: WireCaseName[] = ['openai', 'openai-chat', 'anthropic'];

// A slip is never followed by another for the same agent, so a roll rate r slips on r/(1+r) of the
// turns: 0.6 gives about 37%, and the test checks that at least 30% of the turns served slipped.
describe.concurrent('cadre run over real HTTP with a model that slips on at least 30% of its turns', () => {
  for (const wire of wires) {
    it(`${wire}: every task still lands exactly once, and no commit is empty`, async () => {
      const turns: ServedTurn[] = [];
      const run = await runRealHttpFleet({
        wire,
        scratch,
        rolePlay: { imperfection: 0.6, onTurn: (turn) => turns.push(turn) },
      });
      expectTwoJudgedCycles(run);
      expectEachTaskLandedOnce(run);
      expectUsageMatchesLedger(run);
      // the slips really were served, of several kinds, and never two in a row for one agent
      const slips = turns.filter((turn) => turn.imperfection !== null);
      expect(slips.length, diagnose(run)).toBeGreaterThanOrEqual(8);
      expect(slips.length / turns.length).toBeGreaterThanOrEqual(0.3);
      expect(new Set(slips.map((turn) => turn.imperfection)).size).toBeGreaterThanOrEqual(4);
    }, 170_000);
  }
});
