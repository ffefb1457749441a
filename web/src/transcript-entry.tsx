import type { BoardEvent } from '../../src/protocol/index.ts';
import { formatTime, preview } from './format.ts';

function Body({ event }: { event: BoardEvent }) {
  switch (event.type) {
    case 'agent.agent-started': {
      const { payload } = event;
      return (
        <details>
          <summary>
            started on <code>{payload.modelId}</code> with {payload.toolNames.length} tools
          </summary>
          <pre>{payload.task}</pre>
        </details>
      );
    }
    case 'agent.model-call-ended': {
      const { payload } = event;
      return (
        <div>
          {payload.text ? <p className="message">{payload.text}</p> : null}
          {payload.toolCalls.map((call) => (
            <div key={call.id || call.name} className="muted">
              calls <code>{call.name}</code> {preview(call.input, 200)}
            </div>
          ))}
        </div>
      );
    }
    case 'agent.tool-call-started':
      return (
        <div>
          <code>{event.payload.toolName}</code>{' '}
          <span className="muted">{preview(event.payload.input, 240)}</span>
        </div>
      );
    case 'agent.tool-call-ended': {
      const { payload } = event;
      const { outcome } = payload;
      return (
        <details>
          <summary>
            <code>{payload.toolName}</code> →{' '}
            <span className={`outcome outcome-${outcome.type}`}>{outcome.type}</span>{' '}
            <span className="muted">
              {payload.durationMs} ms · {preview(outcome.output, 100)}
            </span>
          </summary>
          <pre>{outcome.output}</pre>
        </details>
      );
    }
    case 'agent.steer-received':
      return <p className="steer-received">steer received: {event.payload.text}</p>;
    case 'agent.stop-received':
      return <p className="danger-text">stop received: {event.payload.reason}</p>;
    case 'agent.agent-ended': {
      const { reason } = event.payload;
      return (
        <p>
          <strong>ended: {reason.type}</strong> <span className="muted">{preview(reason, 300)}</span>
        </p>
      );
    }
    case 'unknown':
      return (
        <span className="muted">
          {event.storedType} (unreadable: {event.reason}) {preview(event.payload, 240)}
        </span>
      );
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
