import { z } from 'zod';

/**
 * A model id names a wire protocol and a model: `openai:gpt-5.2` (Responses API), `openai-chat:gpt-4.1`
 * (Chat Completions), `anthropic:claude-opus-4-5`, `openai-compatible:<configured name>`, `sim:<policy>`.
 * The llm module parses the parts; here it is only checked for shape so configs fail early.
 */
export const ModelIdString = z
  .string()
  .regex(
    /^(openai|openai-chat|anthropic|openai-compatible|sim):\S+$/,
    'a model id looks like "openai:<model>", "openai-chat:<model>", "anthropic:<model>", "openai-compatible:<name>" or "sim:<policy>"',
  );

/** Where to reach one hosted provider; values win over the environment variables named. */
export const ProviderConnection = z.strictObject({
  apiKey: z.string().min(1).optional(),
  /** Environment variable holding the key, when not the usual one (OPENAI_API_KEY, ANTHROPIC_API_KEY). */
  apiKeyEnv: z.string().min(1).optional(),
  baseURL: z.url().optional(),
  /** Environment variable holding the base URL, when not the usual one (OPENAI_BASE_URL, ANTHROPIC_BASE_URL). */
  baseURLEnv: z.string().min(1).optional(),
});
/** Where to reach one hosted provider. */
export type ProviderConnection = z.infer<typeof ProviderConnection>;

/** A self-hosted server that speaks OpenAI Chat Completions (vLLM, Ollama, llama.cpp server, SGLang). */
export const CompatibleServer = z.strictObject({
  baseURL: z.url().optional(),
  baseURLEnv: z.string().min(1).optional(),
  /** The model name the server expects; defaults to the configured name. */
  model: z.string().min(1).optional(),
  apiKey: z.string().min(1).optional(),
  apiKeyEnv: z.string().min(1).optional(),
});
/** A self-hosted OpenAI-compatible server. */
export type CompatibleServer = z.infer<typeof CompatibleServer>;

/** Dollars per million tokens for one model. */
export const ModelPrice = z.strictObject({
  input: z.number().min(0),
  cachedInput: z.number().min(0).optional(),
  cacheWrite: z.number().min(0).optional(),
  output: z.number().min(0),
});
/** Dollars per million tokens for one model. */
export type ModelPrice = z.infer<typeof ModelPrice>;

/** How often and how patiently one model is retried before the router falls back. */
export const RetryPolicy = z.strictObject({
  maxAttempts: z.int().min(1).max(20).default(3),
  baseDelayMs: z.int().min(0).default(1_000),
  maxDelayMs: z.int().min(0).default(60_000),
  /** Retry-After values longer than this make the router fall back instead of waiting. */
  maxRetryAfterMs: z.int().min(0).default(120_000),
});
/** How often and how patiently one model is retried. */
export type RetryPolicy = z.infer<typeof RetryPolicy>;

/** When a model that keeps failing is skipped, and for how long. */
export const BreakerPolicy = z.strictObject({
  failureThreshold: z.int().min(1).default(5),
  coolDownMs: z.int().min(0).default(60_000),
});
/** When a model that keeps failing is skipped. */
export type BreakerPolicy = z.infer<typeof BreakerPolicy>;

/** How long a simulated call takes, in milliseconds. */
export const SimLatency = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('fixed'), ms: z.number().min(0) }),
  z.strictObject({ type: z.literal('uniform'), minMs: z.number().min(0), maxMs: z.number().min(0) }),
  z.strictObject({
    type: z.literal('log-normal'),
    medianMs: z.number().positive(),
    sigma: z.number().min(0),
  }),
]);
/** How long a simulated call takes. */
export type SimLatency = z.infer<typeof SimLatency>;

/** Probabilities (0..1, per call) of each injected fault of the sim model. */
export const SimFaultRates = z.strictObject({
  rateLimit: z.number().min(0).max(1).default(0),
  serverError: z.number().min(0).max(1).default(0),
  hang: z.number().min(0).max(1).default(0),
  tornStream: z.number().min(0).max(1).default(0),
  malformedToolCall: z.number().min(0).max(1).default(0),
});
/** Probabilities of each injected fault of the sim model. */
export type SimFaultRates = z.infer<typeof SimFaultRates>;

/** Settings of the `sim:<policy>` models. */
export const SimSettings = z.strictObject({
  seed: z.int().default(1),
  latency: SimLatency.default({ type: 'fixed', ms: 0 }),
  faults: SimFaultRates.default({
    rateLimit: 0,
    serverError: 0,
    hang: 0,
    tornStream: 0,
    malformedToolCall: 0,
  }),
  /** Seconds a simulated 429 asks the caller to wait. */
  retryAfterSeconds: z.number().min(0).default(1),
});
/** Settings of the `sim:<policy>` models. */
export type SimSettings = z.infer<typeof SimSettings>;

const roleName = z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'a role is a lowercase word such as "worker"');
const compatibleName = z
  .string()
  .regex(/^[a-zA-Z0-9][\w.-]{0,63}$/, 'a compatible server name is letters, digits and _.-');

/** Everything the llm module reads from a run's config: role chains, connections, prices, policies. */
export const ModelsConfig = z.strictObject({
  /** Role → ordered chain of model ids; the first is preferred, the rest are fallbacks. */
  roles: z.record(roleName, z.array(ModelIdString).min(1, 'a role needs at least one model')).default({}),
  providers: z
    .strictObject({ openai: ProviderConnection.optional(), anthropic: ProviderConnection.optional() })
    .default({}),
  compatible: z.record(compatibleName, CompatibleServer).default({}),
  /** Price overrides keyed by model id (`openai:gpt-5.2`) or by bare model name (`gpt-5.2`). */
  pricing: z.record(z.string().min(1), ModelPrice).default({}),
  retry: RetryPolicy.default({
    maxAttempts: 3,
    baseDelayMs: 1_000,
    maxDelayMs: 60_000,
    maxRetryAfterMs: 120_000,
  }),
  breaker: BreakerPolicy.default({ failureThreshold: 5, coolDownMs: 60_000 }),
  /** Upper bound for one model call, so a hung connection cannot stall an agent forever. */
  callTimeoutMs: z.int().positive().default(600_000),
  sim: SimSettings.default({
    seed: 1,
    latency: { type: 'fixed', ms: 0 },
    faults: { rateLimit: 0, serverError: 0, hang: 0, tornStream: 0, malformedToolCall: 0 },
    retryAfterSeconds: 1,
  }),
});
/** The llm part of a run's config, after defaults. */
export type ModelsConfig = z.infer<typeof ModelsConfig>;
/** The llm part of a run's config, as written by a user. */
export type ModelsConfigInput = z.input<typeof ModelsConfig>;
