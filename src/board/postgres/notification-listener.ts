import { setTimeout as sleep } from 'node:timers/promises';
import type { Client, ClientConfig } from 'pg';
import pg from 'pg';
import type { ChangeSource } from '../follow-events.ts';
import { eventsChannel } from './event-trigger.ts';

/** Options for listening to event notifications. */
export interface NotificationListenerOptions {
  /** How to reach the server; the listener keeps one dedicated connection. */
  connection: ClientConfig;
  /** Pause before reconnecting after the connection broke (doubles up to 2 s; default 100 ms). */
  reconnectDelayMs?: number;
  /** Told about connection trouble; the listener keeps trying either way. */
  onError?: (error: unknown) => void;
}

/**
 * A ChangeSource fed by LISTEN on a dedicated connection, opened while anyone subscribes. Each
 * time LISTEN takes effect (first and after every reconnect) it wakes every subscriber once, since
 * notifications sent before that are lost.
 */
export function createNotificationListener(options: NotificationListenerOptions): ChangeSource {
  const subscribers = new Set<() => void>();
  const wakeAll = () => {
    for (const subscriber of subscribers) subscriber();
  };
  let stop: AbortController | null = null;

  const connectOnce = async (signal: AbortSignal): Promise<Client> => {
    const client = new pg.Client(options.connection);
    client.on('notification', wakeAll);
    const ended = new Promise<void>((resolve) => {
      client.once('end', resolve);
      client.on('error', (error) => {
        options.onError?.(error);
        resolve();
      });
    });
    await client.connect();
    await client.query(`listen ${eventsChannel}`);
    void ended.then(() => {
      if (!signal.aborted) void keepListening(signal);
    });
    return client;
  };

  const keepListening = async (signal: AbortSignal) => {
    let delay = options.reconnectDelayMs ?? 100;
    while (!signal.aborted) {
      try {
        const client = await connectOnce(signal);
        signal.addEventListener('abort', () => void client.end().catch(() => {}), { once: true });
        if (signal.aborted) await client.end().catch(() => {});
        // whatever was appended before LISTEN took effect (or while reconnecting) must be read now
        else wakeAll();
        return;
      } catch (error) {
        options.onError?.(error);
        await sleep(delay, undefined, { signal }).catch(() => {});
        delay = Math.min(delay * 2, 2000);
      }
    }
  };

  return (listener) => {
    subscribers.add(listener);
    if (!stop) {
      stop = new AbortController();
      void keepListening(stop.signal);
    }
    return () => {
      subscribers.delete(listener);
      if (subscribers.size === 0 && stop) {
        stop.abort();
        stop = null;
      }
    };
  };
}
