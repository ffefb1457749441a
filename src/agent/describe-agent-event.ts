import type { AgentEndReason, AgentEvent } from './agent-events.ts';

/** Options of describeAgentEvent. */
export interface DescribeAgentEventOptions {
  /** The step's text was already shown as it streamed, so the end of the call only closes the line. */
  textWasStreamed?: boolean;
}

/** One or a few lines of transcript for an event, for people; null for events that say nothing new. */
export function describeAgentEvent(
  event: AgentEvent,
  options: DescribeAgentEventOptions = {},
): string | null {
  const streamed = options.textWasStreamed === true;
  switch (event.type) {
    case 'agent-started':
      return `agent started with ${event.modelId}; tools: ${event.toolNames.join(', ')}`;
    case 'model-call-started':
      return event.purpose === 'step'
        ? `\nstep ${event.step} (${event.requestTokensExact ? '' : 'at most '}${event.requestTokens} tokens of context)`
        : '  summarizing old context…';
    case 'model-call-ended': {
      const text = streamed || event.text === '' ? '' : `  ${event.text.replaceAll('\n', '\n  ')}\n`;
      return `${streamed ? '\n' : ''}${text}  [${event.usage.inputTokens} in, ${event.usage.outputTokens} out, ${event.latencyMs} ms]`;
    }
    case 'model-call-failed':
      return `  model call failed (${event.errorType}): ${event.message}`;
    case 'tool-call-started':
      return `  → ${event.toolName} ${oneLine(JSON.stringify(event.input), 160)}`;
    case 'tool-call-ended': {
      const lines = event.outcome.output.split('\n');
      const shown = lines.slice(0, 8).map((text) => `      ${oneLine(text, 160)}`);
      if (lines.length > 8) shown.push(`      … ${lines.length - 8} more lines`);
      return [`  ← ${event.outcome.type} (${event.durationMs} ms)`, ...shown].join('\n');
    }
    case 'compaction':
      return `  context ${event.strategy}: ${event.tokensBefore} → ${event.tokensAfter} tokens`;
    case 'steer-received':
      return `  steer: ${event.text}`;
    case 'stop-received':
      return `  stop: ${event.reason}`;
    case 'paused':
      return '  paused';
    case 'resumed':
      return `  resumed after ${event.pausedMs} ms`;
    case 'inbox-poll-failed':
      return `  inbox poll failed: ${event.message}`;
    case 'stuck-warning':
      return `  stuck warning: ${event.detail}`;
    case 'truncated-tool-calls':
      return `  cut off at the output limit: not run ${event.toolNames.join(', ')}`;
    case 'agent-ended':
      return null;
    default:
      return assertNever(event);
  }
}

/** An end reason in a few words, for people. */
export function describeAgentEndReason(reason: AgentEndReason): string {
  switch (reason.type) {
    case 'completed':
      return 'completed';
    case 'budget':
      return `budget: ${reason.budget} (used ${Math.round(reason.used * 1e4) / 1e4} of ${reason.limit})`;
    case 'stuck':
      return `stuck: ${reason.detail}`;
    case 'stopped':
      return `stopped: ${reason.reason}`;
    case 'model-error':
      return `model error (${reason.errorType}): ${reason.message}`;
    case 'fatal-tool-error':
      return `fatal error in ${reason.toolName}: ${reason.message}`;
    case 'engine-failed':
      return `engine ${reason.engine} failed: ${reason.message}`;
    default:
      return assertNever(reason);
  }
}

function oneLine(text: string, width: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > width ? `${flat.slice(0, width - 1)}…` : flat;
}

function assertNever(value: never): never {
  throw new Error(`unhandled value ${JSON.stringify(value)}`);
}
