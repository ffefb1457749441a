import type { ProtocolServer, RecordedRequest } from './protocol-server/protocol-server.ts';
import type { ScriptedReply } from './protocol-server/scripted-reply.ts';

/** A provider outage on a clock: failures until it ends, then answers. */
export interface OutageOptions {
  clock: () => number;
  /** When the outage ends, on `clock`. */
  endsAt: number;
  failure: ScriptedReply;
  answer: ScriptedReply;
}

/**
 * Scripts an outage on a protocol server whose length is in time, not in requests: pass the returned
 * function as (or from) the server's `onRequest`, and each request is answered with the failure or the
 * answer depending on the clock when it arrives.
 */
export function scriptOutage(
  server: () => ProtocolServer,
  options: OutageOptions,
): (request: RecordedRequest) => void {
  return () => {
    server().enqueue(options.clock() < options.endsAt ? options.failure : options.answer);
  };
}
