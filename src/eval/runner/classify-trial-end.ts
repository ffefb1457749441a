import type { AgentEndReason } from '../../agent/index.ts';
import type { ModelErrorType } from '../../llm/index.ts';
import type { TrialEnd } from '../trial-record.ts';

/**
 * Model errors that say something about the model's own behaviour; every other model error is the
 * provider, the network or the configuration failing, which must not count against the model.
 */
function isModelAttributable(errorType: ModelErrorType): boolean {
  switch (errorType) {
    case 'context-overflow':
    case 'content-policy':
      return true;
    case 'rate-limit':
    case 'quota-exceeded':
    case 'server':
    case 'timeout':
    case 'network':
    case 'stream-torn':
    case 'invalid-response':
    case 'auth':
    case 'missing-credentials':
    case 'not-found':
    case 'bad-request':
    case 'aborted':
    case 'unavailable':
      return false;
  }
}

/** Why a trial ended, from the agent's end reason and whether an answer was found. */
export function classifyTrialEnd(reason: AgentEndReason, answer: string | null): TrialEnd {
  switch (reason.type) {
    case 'completed':
      return answer === null
        ? { type: 'gave-up', detail: 'ended without an answer' }
        : { type: 'answered', detail: answer.slice(0, 200) };
    case 'budget': {
      const detail = `used ${reason.used} of ${reason.limit}`;
      switch (reason.budget) {
        case 'steps':
          return { type: 'step-limit', detail };
        case 'tokens':
          return { type: 'token-limit', detail };
        case 'dollars':
          return { type: 'dollar-limit', detail };
        case 'wall-time':
          return { type: 'time-limit', detail };
        default:
          return assertNever(reason.budget);
      }
    }
    case 'stuck':
      return { type: 'stuck', detail: `${reason.pattern}: ${reason.detail}` };
    case 'stopped':
      return { type: 'infrastructure-error', detail: `stopped: ${reason.reason}` };
    case 'model-error':
      if (reason.errorType === 'context-overflow') return { type: 'token-limit', detail: reason.message };
      return isModelAttributable(reason.errorType)
        ? { type: 'error', detail: `${reason.errorType}: ${reason.message}` }
        : { type: 'infrastructure-error', detail: `${reason.errorType}: ${reason.message}` };
    case 'fatal-tool-error':
      return { type: 'infrastructure-error', detail: `${reason.toolName}: ${reason.message}` };
    case 'engine-failed':
      return { type: 'error', detail: `engine ${reason.engine}: ${reason.message}` };
    default:
      return assertNever(reason);
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled value ${JSON.stringify(value)}`);
}
