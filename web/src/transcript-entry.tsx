import type { BoardEvent } from '../../src/protocol/index.ts';
import { formatTime, preview } from './format.ts';

interface ToolCallShape {
  id?: string;
  name?: string;
  input?: unknown;
}

function Body({ event }: { event: BoardEvent }) {
  const payload = (event.payload ?? {}) as Record<string, unknown>;
  switch (event.type) {
    case 'agent.agent-started':
      return (
        <details>
          <summary>
            started on <code>{String(payload.modelId)}</code> with{' '}
            {(payload.toolNames as string[] | undefined)?.length ?? 0} tools
          </summary>
          <pre>{String(payload.task ?? '')}</pre>
        </details>
      );
    case 'agent.model-call-ended': {
      const calls = (payload.toolCalls as ToolCallShape[] | undefined) ?? [];
      return (
        <div>
          {payload.text ? <p className="message">{String(payload.text)}</p> : null}
          {calls.map((call) => (
            <div key={call.id ?? call.name} className="muted">
              calls <code>{call.name}</code> {preview(call.input, 200)}
            </div>
          ))}
        </div>
      );
    }
    case 'agent.tool-call-started':
      return (
        <div>
          <code>{String(payload.toolName)}</code> <span className="muted">{preview(payload.input, 240)}</span>
        </div>
      );
    case 'agent.tool-call-ended': {
      const outcome = (payload.outcome ?? {}) as { type?: string; output?: string };
      return (
        <details>
          <summary>
            <code>{String(payload.toolName)}</code> →{' '}
            <span className={`outcome outcome-${outcome.type}`}>{outcome.type}</span>{' '}
            <span className="muted">
              {String(payload.durationMs ?? '')} ms · {preview(outcome.output ?? '', 100)}
            </span>
          </summary>
          <pre>{outcome.output ?? ''}</pre>
        </details>
      );
    }
    case 'agent.steer-received':
      return <p className="steer-received">steer received: {String(payload.text)}</p>;
    case 'agent.stop-received':
      return <p className="danger-text">stop received: {String(payload.reason ?? '')}</p>;
    case 'agent.agent-ended': {
      const reason = (payload.reason ?? {}) as { type?: string };
      return (
        <p>
          <strong>ended: {reason.type}</strong> <span className="muted">{preview(payload.reason, 300)}</span>
        </p>
      );
    }
    default:
      return <span className="muted">{preview(event.payload, 240)}</span>;
  }
}

/** One event of an agent's transcript: messages, tool calls and results, inbox deliveries. */
export function TranscriptEntry({ event }: { event: BoardEvent }) {
  return (
    <li className={`entry entry-${event.type.replace(/\./g, '-')}`} data-type={event.type}>
      <span className="entry-meta">
        #{event.seq} {formatTime(event.at)}{' '}
        <span className="entry-type">{event.type.replace(/^agent\./, '')}</span>
      </span>
      <Body event={event} />
    </li>
  );
}
