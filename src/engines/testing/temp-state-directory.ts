import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';

/**
 * A fresh state directory for each test of the calling describe block, removed after it: launch tests
 * let adapters write their config there. Returns a getter, as the directory changes from test to test.
 */
export function useTempStateDirectory(prefix: string): () => string {
  let stateDirectory = '';
  beforeEach(() => {
    stateDirectory = mkdtempSync(join(tmpdir(), prefix));
  });
  afterEach(() => rmSync(stateDirectory, { recursive: true, force: true }));
  return () => stateDirectory;
}
