// The public face of src/server: other modules import from here, never from deeper files.
export type {
  AgentActivity,
  AgentView,
  ApiErrorBody,
  EventPage,
  ListPage,
  RunOverview,
  TaskView,
  UsagePoint,
} from './api-types.ts';
export { ensureDashboardBuilt } from './build-dashboard.ts';
export { DashboardSettingsError, defaultDashboardPort, startDashboard } from './serve.ts';
export { startDashboardForRun } from './start-dashboard-for-run.ts';
export { buildUsageReport, countAgents } from './usage-report.ts';
