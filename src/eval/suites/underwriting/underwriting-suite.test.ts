import { createHash } from 'node:crypto';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToolCounters, parseToolConfig } from '../../../agent/index.ts';
import type { Suite } from '../../suite.ts';
import { generateWorld, writeWorldDatabase } from './generate-world.ts';
import { underwritingSuite, worldDatabaseFile } from './underwriting-suite.ts';

const signal = new AbortController().signal;
let suite: Suite;
let work: string;
beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'cadre-eval-'));
  suite = await underwritingSuite.load({ signal, seed: 7, workDirectory: path.join(work, 'suite') });
});
afterAll(() => suite.close());

const context = (root: string) => ({
  worktreeRoot: root,
  signal,
  counters: createToolCounters(),
  config: parseToolConfig({}),
});

describe('underwriting world', () => {
  it('is generated deterministically from its seed', async () => {
    expect(generateWorld(7)).toEqual(generateWorld(7));
    expect(generateWorld(7)).not.toEqual(generateWorld(8));
    writeWorldDatabase(generateWorld(7), path.join(work, 'a.db'));
    writeWorldDatabase(generateWorld(7), path.join(work, 'b.db'));
    const digest = async (file: string) =>
      createHash('sha256')
        .update(await readFile(file))
        .digest('hex');
    expect(await digest(path.join(work, 'a.db'))).toBe(await digest(path.join(work, 'b.db')));
  });

  it('has 200+ businesses, a catalog, an appetite matrix and claims', () => {
    const file = path.join(work, 'a.db');
    const database = new Database(file, { readonly: true });
    const count = (table: string) =>
      (database.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    expect(count('businesses')).toBeGreaterThanOrEqual(200);
    expect(count('products')).toBe(7);
    expect(count('appetite')).toBe(16 * 7);
    expect(count('claims')).toBeGreaterThan(100);
    database.close();
  });

  it('has 60+ samples over 6+ task types with references that agree with SQL over the data', async () => {
    expect(suite.samples.length).toBeGreaterThanOrEqual(60);
    expect(new Set(suite.samples.map((sample) => sample.taskType)).size).toBeGreaterThanOrEqual(6);
    expect(new Set(suite.samples.map((sample) => sample.id)).size).toBe(suite.samples.length);
    // Recompute the loss-history references independently with SQL.
    const database = new Database(path.join(work, 'a.db'), { readonly: true });
    for (const sample of suite.samples.filter((item) => item.taskType === 'loss-history')) {
      const id = /business (B\d{4})/.exec(sample.input)![1];
      const row = database
        .prepare(
          'SELECT coalesce(sum(amount), 0) AS total FROM claims WHERE business_id = ? AND year >= 2021',
        )
        .get(id) as { total: number };
      expect(String(row.total)).toBe(sample.reference);
    }
    database.close();
  });
});

describe('underwriting tools', () => {
  it('answers SQL, turns invalid SQL and writes into argument errors, and serves guidelines', async () => {
    const environment = await suite.prepare(suite.samples[0]!, { signal, seed: 1 });
    try {
      const tool = (name: string) => environment.tools.find((item) => item.name === name)!;
      const ok = await tool('sql_query').execute(
        { sql: "SELECT state FROM businesses WHERE id = 'B0001'" },
        context(environment.worktreeRoot),
      );
      expect(ok.type).toBe('success');
      expect(ok.output).toMatch(/"state":"[A-Z]{2}"/);
      const invalid = await tool('sql_query').execute(
        { sql: 'SELEC * FROM businesses' },
        context(environment.worktreeRoot),
      );
      expect(invalid).toMatchObject({ type: 'tool-error' });
      expect(invalid.output).toMatch(/invalid SQL/);
      const write = await tool('sql_query').execute(
        { sql: 'DELETE FROM businesses' },
        context(environment.worktreeRoot),
      );
      expect(write.output).toMatch(/only read-only/);
      const guideline = await tool('lookup_guideline').execute(
        { topic: 'limits' },
        context(environment.worktreeRoot),
      );
      expect(guideline.output).toContain('$20,000,000 and above: $3,000,000');
      const unknown = await tool('lookup_guideline').execute(
        { topic: 'pets' },
        context(environment.worktreeRoot),
      );
      expect(unknown.type).toBe('tool-error');
      expect(path.basename(path.join(environment.worktreeRoot, worldDatabaseFile))).toBe('world.db');
    } finally {
      await environment.cleanup();
    }
  });

  it('gives the ask_user tool only to samples with hidden facts', async () => {
    const multiTurn = suite.samples.find((sample) => sample.hiddenFacts.length > 0)!;
    const environment = await suite.prepare(multiTurn, { signal, seed: 1 });
    try {
      const ask = environment.tools.find((item) => item.name === 'ask_user')!;
      const reply = await ask.execute(
        { question: 'What is the annual revenue?' },
        context(environment.worktreeRoot),
      );
      expect(reply.output).toMatch(/annual revenue is \$[\d,]+/);
    } finally {
      await environment.cleanup();
    }
    const single = await suite.prepare(suite.samples[0]!, { signal, seed: 1 });
    expect(single.tools.map((tool) => tool.name)).not.toContain('ask_user');
    await single.cleanup();
  });
});
