// The public face of src/orchestrator: other modules import from here, never from deeper files.
export { createAgentPlacement, placementOfEvent } from './agent-placement.ts';
export {
  CadreConfig,
  ConfigError,
  defaultConfigFileName,
  loadCadreConfig,
  parseCadreConfig,
} from './cadre-config.ts';
export { createFleetDependencies } from './create-fleet-dependencies.ts';
export { createDemoRepository } from './demo-repository.ts';
export type { FleetDependencies } from './fleet-dependencies.ts';
export { EngineUnavailableError, engineRoles, prepareFleetEngines } from './fleet-engines.ts';
export { createFleetState } from './fleet-state.ts';
export { runJoinedWorker } from './joined-worker.ts';
export {
  type QueueBounceType,
  type QueuePush,
  type QueueRedTip,
  type QueueSummary,
  readQueueSummary,
} from './queue-summary.ts';
export { formatQueueSummary } from './queue-summary-format.ts';
export { type FleetProgress, type RunSummary, runFleet } from './run-fleet.ts';
export { acquireRunLock, readRunLock } from './run-lock.ts';
export { readSandboxStatuses } from './sandbox-statuses.ts';
export { seedRemoteHub } from './seed-remote-hub.ts';
export { formatSetupSummary, readSetupSummary, type SetupSummary } from './setup-summary.ts';
