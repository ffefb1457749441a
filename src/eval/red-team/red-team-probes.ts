import { kernelProbes } from './kernel-probes.ts';
import { networkProbes } from './network-probes.ts';
import type { RedTeamProbe } from './probe-definition.ts';
import { processProbes } from './process-probes.ts';
import { readProbes } from './read-probes.ts';
import { writeProbes } from './write-probes.ts';

/** Every probe of the red-team suite, in the order the table shows them. */
export const redTeamProbes: readonly RedTeamProbe[] = [
  ...readProbes,
  ...writeProbes,
  ...processProbes,
  ...kernelProbes,
  ...networkProbes,
];
