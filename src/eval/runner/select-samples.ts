import type { Sample } from '../suite.ts';

/** Up to `limit` samples spread evenly over the suite (so a small run still covers every task type). */
export function selectSamples(samples: readonly Sample[], limit: number | undefined): Sample[] {
  if (limit === undefined || limit >= samples.length) return [...samples];
  const picked: Sample[] = [];
  for (let index = 0; index < limit; index++)
    picked.push(samples[Math.floor((index * samples.length) / limit)]!);
  return picked;
}
