import { describe, expect, it } from 'vitest';
import { startThrowawayCluster } from '../board/testing/throwaway-cluster.ts';
import { readServerSettings } from './board-bench-postgres-settings.ts';

describe('server settings of the PostgreSQL bench', () => {
  it('reads fsync on from a durable throwaway server and off from a test one', async () => {
    for (const durable of [true, false]) {
      const cluster = await startThrowawayCluster({ durable });
      try {
        const settings = await readServerSettings(cluster.url);
        const expected = durable ? 'on' : 'off';
        expect(settings).toMatchObject({
          fsync: expected,
          full_page_writes: expected,
          synchronous_commit: 'on',
        });
        expect(settings.server_version).toMatch(/^\d+/);
      } finally {
        await cluster.stop();
      }
    }
  }, 60_000);
});
