import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import {
  type ProtocolServer,
  type RecordedRequest,
  startProtocolServer,
} from '../testing/protocol-server/protocol-server.ts';

/** One protocol server for a test file, reset before each test; `onRequest` may be set by a test. */
export interface SharedProtocolServer extends ProtocolServer {
  /** Sees each request before it is answered (to abort mid-call or script an outage); cleared before each test. */
  onRequest: ((request: RecordedRequest) => void) | undefined;
}

/**
 * Starts the protocol server once for the calling test file and checks, before each test, that the
 * previous one consumed its script. Call it at the top level of the file.
 */
export function createSharedProtocolServer(): SharedProtocolServer {
  let server: ProtocolServer | undefined;
  const current = () => {
    if (!server) throw new Error('the protocol server starts in beforeAll; use it inside a test');
    return server;
  };
  const shared: SharedProtocolServer = {
    onRequest: undefined,
    get baseURL() {
      return current().baseURL;
    },
    get requests() {
      return current().requests;
    },
    get ledger() {
      return current().ledger;
    },
    enqueue: (...replies) => current().enqueue(...replies),
    remaining: () => current().remaining(),
    close: () => current().close(),
  };
  beforeAll(async () => {
    server = await startProtocolServer({ onRequest: (request) => shared.onRequest?.(request) });
  });
  afterAll(async () => {
    await server?.close();
  });
  beforeEach(() => {
    current().requests.splice(0);
    shared.onRequest = undefined;
    expect(current().remaining()).toBe(0);
  });
  return shared;
}
