import { describe, expect, it } from 'vitest';
import { systemHostLookup } from './host-lookup.ts';

describe('systemHostLookup', () => {
  it('returns IP literals as themselves without asking DNS', async () => {
    expect(await systemHostLookup('127.0.0.1', new AbortController().signal)).toEqual(['127.0.0.1']);
  });

  it('rejects at once when the signal is already aborted', async () => {
    await expect(systemHostLookup('example.com', AbortSignal.abort(new Error('stopped')))).rejects.toThrow(
      'stopped',
    );
  });
});
