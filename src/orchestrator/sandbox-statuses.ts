import type { TaskBoard } from '../board/index.ts';
import { type SandboxStatusEvent, sandboxStatusEventType } from '../sandbox/index.ts';

/**
 * The newest sandbox status of each process that drove or joined a run (one `sandbox.status` event
 * per process start), so a view can say which machines ran agents' commands unsandboxed.
 */
export async function readSandboxStatuses(
  board: TaskBoard,
  runId: string,
  signal?: AbortSignal,
): Promise<SandboxStatusEvent[]> {
  const events = await board.readEvents(
    { runId, types: [sandboxStatusEventType], limit: 1000 },
    signal ? { signal } : {},
  );
  const byProcess = new Map<string, SandboxStatusEvent>();
  for (const event of events) {
    if (event.type === 'sandbox.status')
      byProcess.set(`${event.payload.host}/${event.payload.pid}`, event.payload);
  }
  return [...byProcess.values()];
}
