import type { SimFaultRates, SimLatency } from '../../protocol/index.ts';
import type { Random } from './seeded-random.ts';

/** The fault a simulated call suffers, if any. */
export type SimFault =
  | 'none'
  | 'rate-limit'
  | 'server-error'
  | 'hang'
  | 'torn-stream'
  | 'malformed-tool-call';

/** Draws at most one fault per call; rates add up, so they should sum to at most 1. */
export function drawFault(rates: SimFaultRates, random: Random): SimFault {
  const draw = random();
  const ordered: Array<[SimFault, number]> = [
    ['rate-limit', rates.rateLimit],
    ['server-error', rates.serverError],
    ['hang', rates.hang],
    ['torn-stream', rates.tornStream],
    ['malformed-tool-call', rates.malformedToolCall],
  ];
  let threshold = 0;
  for (const [fault, rate] of ordered) {
    threshold += rate;
    if (draw < threshold) return fault;
  }
  return 'none';
}

/** Milliseconds one simulated call takes, drawn from the configured distribution. */
export function drawLatency(latency: SimLatency, random: Random): number {
  switch (latency.type) {
    case 'fixed':
      return latency.ms;
    case 'uniform':
      return latency.minMs + random() * Math.max(0, latency.maxMs - latency.minMs);
    case 'log-normal': {
      // Box-Muller; 1 - random() keeps the logarithm finite.
      const normal = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
      return latency.medianMs * Math.exp(latency.sigma * normal);
    }
  }
}
