// The public face of src/llm: other modules import from here, never from deeper files.
export { type Sleep, sleep } from './abortable.ts';
export {
  anthropicDefaultBaseURL,
  normalizeAnthropicBaseURL,
  normalizeOpenAIBaseURL,
  openaiDefaultBaseURL,
} from './base-url.ts';
export { type CreateModelOptions, createModel } from './create-model.ts';
export {
  type CredentialProblem,
  checkCredentials,
  describeKeys,
  type KeyStatus,
  resolveConnection,
} from './credentials.ts';
export { createLanguageModelAdapter, type LanguageModelAdapterOptions } from './language-model-adapter.ts';
export { knownLimitsCheckedAt, providerDefaultLimits, type TokenLimits } from './limits/known-limits.ts';
export {
  type EffectiveModelLimits,
  type LimitSource,
  type LimitsConfig,
  modelLimitsFor,
  type RoleLimits,
  roleLimitsFor,
} from './limits/model-limits.ts';
export {
  addUsage,
  emptyUsage,
  type Model,
  type ModelCallOptions,
  type ModelFinishReason,
  type ModelMessage,
  type ModelRequest,
  type ModelResponse,
  type ModelToolCall,
  type ModelToolDefinition,
  type ModelToolResult,
  type ModelUsage,
} from './model.ts';
export {
  isModelError,
  isRetryableType,
  type LimitExceeded,
  ModelError,
  type ModelErrorType,
} from './model-error.ts';
export { type ModelProviderType, type ParsedModelId, parseModelId } from './model-id.ts';
export { type EffectiveTransport, transportFor } from './model-transport.ts';
export { parseModelsConfig } from './models-config.ts';
export { type RoleChain, resolveRoleChain, settingForRole } from './role-chain.ts';
export type { BreakerState } from './router/circuit-breaker.ts';
export { type ConfiguredRouterOptions, createConfiguredRouter } from './router/create-configured-router.ts';
export { fallbackCategoryOf } from './router/fallback-category.ts';
export { createModelRouter, type ModelRouter, type ModelRouterOptions } from './router/model-router.ts';
export {
  type CallFailedReason,
  type ErrorSummary,
  type GiveUpReason,
  type RouterEvent,
  type RouterEventListener,
  routerEventType,
} from './router/router-events.ts';
export {
  createSimPolicyRegistry,
  echoPolicy,
  finishPolicy,
  placeholderInput,
  randomToolsPolicy,
} from './sim/builtin-policies.ts';
export { createSeededRandom, hashSeed, type Random } from './sim/seeded-random.ts';
export { createSimLanguageModel, type SimLanguageModelOptions, simLabel } from './sim/sim-language-model.ts';
export {
  lastInputText,
  type SimPolicy,
  type SimPolicyContext,
  type SimTool,
  type SimTurn,
} from './sim/sim-policy.ts';
export { priceList, priceListCheckedAt } from './usage/price-list.ts';
export { computeCost, costOf, createPriceTable, type PriceLookup, type PriceTable } from './usage/pricing.ts';
export {
  createMeteredModel,
  createUsageLedger,
  type MeteredModelOptions,
  type UsageLedger,
  type UsageRecord,
  type UsageTotals,
} from './usage/usage-ledger.ts';
