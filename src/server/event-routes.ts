import type { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { ApiError, parseOrThrow } from './api-errors.ts';
import { EventListQuery, RunParams, StreamQuery } from './api-schemas.ts';
import type { EventPage } from './api-types.ts';
import type { DashboardContext } from './dashboard-context.ts';
import type { EventCursor } from './event-index.ts';

const keepAliveMs = 15_000;

/** Registers the event page route and the live Server-Sent Events stream of a run. */
export function registerEventRoutes(app: Hono, context: DashboardContext) {
  app.get('/api/runs/:runId/events', async (c) => {
    const { runId } = parseOrThrow(RunParams, c.req.param(), 'run id');
    const query = parseOrThrow(EventListQuery, c.req.query(), 'event query');
    const signal = c.req.raw.signal;
    const projection = await context.projection(runId, signal);
    const cursor: EventCursor =
      query.beforeSeq !== undefined
        ? { type: 'before', seq: query.beforeSeq }
        : { type: 'after', seq: query.afterSeq ?? 0 };
    const selection = projection.index.select(
      { agentId: query.agent, taskId: query.task, types: query.types },
      cursor,
      query.limit,
    );
    const events = await projection.readPositions(selection.positions, signal);
    const first = events[0]?.seq;
    const last = events.at(-1)?.seq;
    const page: EventPage = {
      events,
      // going forward, an empty page still tells where to ask again; going back, the cursor is kept
      nextAfterSeq: selection.moreAfter ? (last ?? null) : null,
      nextBeforeSeq: selection.moreBefore ? (first ?? null) : null,
      lastSeq: projection.index.lastSeq,
    };
    return c.json(page);
  });

  app.get('/api/runs/:runId/stream', async (c) => {
    const { runId } = parseOrThrow(RunParams, c.req.param(), 'run id');
    const query = parseOrThrow(StreamQuery, c.req.query(), 'stream query');
    const projection = await context.projection(runId, c.req.raw.signal);
    const lastEventId = c.req.header('last-event-id');
    let afterSeq = query.afterSeq ?? projection.index.lastSeq;
    // a reconnecting EventSource sends the id of the last event it got; that wins over the query
    if (lastEventId !== undefined) {
      const seq = Number(lastEventId);
      if (!Number.isInteger(seq) || seq < 0)
        throw new ApiError(400, 'invalid-input', 'Last-Event-ID must be an event seq (a whole number)');
      afterSeq = seq;
    }
    return streamSSE(c, async (stream) => {
      const follow = new AbortController();
      const stop = () => follow.abort();
      stream.onAbort(stop);
      context.signal.addEventListener('abort', stop, { once: true });
      const keepAlive = setInterval(() => {
        // a comment line keeps proxies and the browser from closing an idle stream
        stream.write(': keep-alive\n\n').catch(stop);
      }, keepAliveMs);
      try {
        await stream.writeSSE({ event: 'ready', data: JSON.stringify({ afterSeq }), retry: 2000 });
        for await (const event of context.board.followEvents({ runId, afterSeq, signal: follow.signal })) {
          await stream.writeSSE({ id: String(event.seq), data: JSON.stringify(event) });
        }
      } catch (error) {
        if (!follow.signal.aborted) throw error;
      } finally {
        clearInterval(keepAlive);
        context.signal.removeEventListener('abort', stop);
      }
    });
  });
}
