import { addUsage, emptyUsage, type Model, type ModelUsage } from '../model.ts';
import { costOf, type PriceTable } from './pricing.ts';

/** One finished model call, as the ledger records it. */
export interface UsageRecord {
  agentId: string;
  role: string;
  modelId: string;
  usage: ModelUsage;
  latencyMs: number;
}

/** Running totals over some set of calls. */
export interface UsageTotals {
  calls: number;
  usage: ModelUsage;
  costUsd: number;
  /** Calls of models without a known price; their cost is missing from costUsd. */
  unpricedCalls: number;
  latencyMs: number;
}

/** Running totals per agent, role, model and for the whole run; every read is a map lookup. */
export interface UsageLedger {
  /** Adds one call and returns its cost in dollars (null when the model has no known price). */
  record(record: UsageRecord): number | null;
  total(): UsageTotals;
  byAgent(agentId: string): UsageTotals;
  byRole(role: string): UsageTotals;
  byModel(modelId: string): UsageTotals;
  /** Totals of every agent, role or model seen so far. */
  all(dimension: 'agent' | 'role' | 'model'): ReadonlyMap<string, UsageTotals>;
}

function emptyTotals(): UsageTotals {
  return { calls: 0, usage: emptyUsage(), costUsd: 0, unpricedCalls: 0, latencyMs: 0 };
}

function add(totals: UsageTotals, record: UsageRecord, cost: number | null): UsageTotals {
  return {
    calls: totals.calls + 1,
    usage: addUsage(totals.usage, record.usage),
    costUsd: totals.costUsd + (cost ?? 0),
    unpricedCalls: totals.unpricedCalls + (cost === null ? 1 : 0),
    latencyMs: totals.latencyMs + record.latencyMs,
  };
}

/** Creates an in-memory ledger (one per run); the board keeps the durable copy through events. */
export function createUsageLedger(prices: PriceTable): UsageLedger {
  let total = emptyTotals();
  const maps = {
    agent: new Map<string, UsageTotals>(),
    role: new Map<string, UsageTotals>(),
    model: new Map<string, UsageTotals>(),
  };
  const read = (map: Map<string, UsageTotals>, key: string) => map.get(key) ?? emptyTotals();
  return {
    record(record) {
      const cost = costOf(prices, record.modelId, record.usage);
      total = add(total, record, cost);
      maps.agent.set(record.agentId, add(read(maps.agent, record.agentId), record, cost));
      maps.role.set(record.role, add(read(maps.role, record.role), record, cost));
      maps.model.set(record.modelId, add(read(maps.model, record.modelId), record, cost));
      return cost;
    },
    total: () => total,
    byAgent: (agentId) => read(maps.agent, agentId),
    byRole: (role) => read(maps.role, role),
    byModel: (modelId) => read(maps.model, modelId),
    all: (dimension) => maps[dimension],
  };
}

/** Who a metered model's calls are charged to. */
export interface MeteredModelOptions {
  ledger: UsageLedger;
  agentId: string;
  role: string;
  /** Told about each call with its cost, e.g. to append a `model.call-ended` event. */
  onRecorded?: (record: UsageRecord, costUsd: number | null) => void;
}

/** Wraps a model so that every successful call is recorded in the ledger under the model that answered. */
export function createMeteredModel(model: Model, options: MeteredModelOptions): Model {
  return {
    id: model.id,
    async generate(request, callOptions) {
      const response = await model.generate(request, callOptions);
      const record: UsageRecord = {
        agentId: options.agentId,
        role: options.role,
        modelId: response.modelId,
        usage: response.usage,
        latencyMs: response.latencyMs,
      };
      const cost = options.ledger.record(record);
      options.onRecorded?.(record, cost);
      return response;
    },
  };
}
