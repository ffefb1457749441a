import { z } from 'zod';
import { EnginesConfig, isEngineEntry, parseEngineRef } from './engine-config.ts';

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

/**
 * How long one call keeps retrying before it gives up: a time budget rather than a count, so that a provider
 * outage of a few minutes is ridden out instead of ending agents.
 */
export const RetryPolicy = z.strictObject({
  /** One call stops retrying once this much time has passed since it started (across its whole chain). */
  maxElapsedMs: z.int().min(0).default(300_000),
  /** The first backoff delay's cap; each retry doubles it up to maxDelayMs, and the wait is drawn from 0..cap. */
  initialDelayMs: z.int().min(0).default(1_000),
  maxDelayMs: z.int().min(0).default(60_000),
  /** Retry-After values longer than this stop retries of that model at once (fall back, or fail). */
  maxRetryAfterMs: z.int().min(0).default(120_000),
  /** An optional cap on attempts per model per call, on top of the time budget. */
  maxAttempts: z.int().min(1).max(1_000).optional(),
  baseDelayMs: z
    .never({ error: '"baseDelayMs" was renamed "initialDelayMs" (the first backoff delay, in milliseconds)' })
    .optional(),
});
/** How long one call keeps retrying before it gives up. */
export type RetryPolicy = z.infer<typeof RetryPolicy>;

/**
 * Kinds of failure after which a chain moves on to its next model. `retryable` (429, 5xx, timeouts, torn
 * streams) applies once the retries of a model are spent; the others are never retried on the same model.
 */
export const FallbackCategory = z.enum(
  ['retryable', 'auth', 'not-found', 'quota', 'too-large', 'content-policy', 'bad-request'],
  {
    error: (issue) =>
      `unknown fallback category ${JSON.stringify(issue.input)}; use retryable, auth, not-found, quota, too-large, content-policy or bad-request`,
  },
);
/** A kind of failure after which a chain moves on to its next model. */
export type FallbackCategory = z.infer<typeof FallbackCategory>;

/** What chains fall back on when the config says nothing: what a missing model or a spent key calls for. */
export const defaultFallbackOn: readonly FallbackCategory[] = ['retryable', 'not-found', 'quota', 'auth'];

/** A model's context window and output cap, in tokens; a field left out comes from the built-in defaults. */
export const ModelLimits = z
  .strictObject({
    contextWindowTokens: z
      .int('contextWindowTokens must be a whole number of tokens, e.g. 200000')
      .min(
        1_000,
        "contextWindowTokens must be at least 1000: give the model's real context window, e.g. 8192",
      )
      .optional(),
    maxOutputTokens: z
      .int('maxOutputTokens must be a whole number of tokens, e.g. 4096')
      .min(1, 'maxOutputTokens must be at least 1')
      .optional(),
  })
  .refine((limits) => limits.contextWindowTokens !== undefined || limits.maxOutputTokens !== undefined, {
    message: 'a limits entry needs contextWindowTokens, maxOutputTokens or both',
  })
  .refine(
    (limits) =>
      limits.contextWindowTokens === undefined ||
      limits.maxOutputTokens === undefined ||
      limits.maxOutputTokens < limits.contextWindowTokens,
    {
      message: 'maxOutputTokens must be smaller than contextWindowTokens (the window holds input and output)',
    },
  );
/** A model's context window and output cap, as configured. */
export type ModelLimits = z.infer<typeof ModelLimits>;

/**
 * How a model's answers come back: `stream` (server-sent events, the default) or `generate` (one JSON
 * response per call), for OpenAI-compatible servers and proxies that stream badly.
 */
export const ModelTransport = z.enum(['stream', 'generate'], {
  error: (issue) =>
    `unknown transport ${JSON.stringify(issue.input)}; use "stream" (server-sent events, the default) or "generate" (one JSON response per call)`,
});
/** How a model's answers come back: streamed or in one response. */
export type ModelTransport = z.infer<typeof ModelTransport>;

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

/** Zod reports a bad record key only as "Invalid key in record"; this passes on the key's own message. */
function keyMessage(issue: z.core.$ZodRawIssue): string | undefined {
  return issue.code === 'invalid_key' ? issue.issues[0]?.message : undefined;
}

/** For a list-or-object setting: the first problem of the form the input has, instead of "Invalid input". */
function branchMessage(issue: z.core.$ZodRawIssue): string | undefined {
  if (issue.code !== 'invalid_union') return undefined;
  const first = (Array.isArray(issue.input) ? issue.errors[0] : issue.errors[1])?.[0];
  if (first === undefined || (first.path.length === 0 && first.code === 'invalid_type')) {
    return 'fallbackOn is a list of categories, or an object of such lists keyed by role';
  }
  return first.path.length === 0 ? first.message : `at ${first.path.join('.')}: ${first.message}`;
}

const roleName = z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'a role is a lowercase word such as "worker"');
/** A key of a per-model setting: a model id, or `<provider>:*` for every model of that provider. */
function modelKey(setting: string) {
  return z
    .string()
    .regex(
      /^(openai|openai-chat|anthropic|openai-compatible|sim):\S+$/,
      `a ${setting} key is a model id ("anthropic:claude-opus-4-5") or a provider followed by :* ("openai-compatible:*")`,
    );
}
const limitsKey = modelKey('limits');
const fallbackList = z.array(FallbackCategory);
const compatibleName = z
  .string()
  .regex(/^[a-zA-Z0-9][\w.-]{0,63}$/, 'a compatible server name is letters, digits and _.-');

const RoleChainEntry = z.string().check((context) => {
  const value = context.value;
  if (isEngineEntry(value)) {
    try {
      parseEngineRef(value);
    } catch (error) {
      context.issues.push({ code: 'custom', input: value, message: (error as Error).message });
    }
    return;
  }
  const model = ModelIdString.safeParse(value);
  if (!model.success)
    context.issues.push({
      code: 'custom',
      input: value,
      message: `${model.error.issues[0]?.message ?? 'not a model id'}, or an engine: "engine:claude-code/<model>", "engine:codex/<model>"`,
    });
});
// engines lead a chain (they share the role's agents in turn); the models after them are the fallback
const RoleChainEntries = z
  .array(RoleChainEntry)
  .refine(
    (chain) =>
      chain.every(
        (entry, index) => index === 0 || !isEngineEntry(entry) || isEngineEntry(chain[index - 1] ?? ''),
      ),
    'engines ("engine:<name>/<model>") must come first in a role chain; the models after them are their fallbacks',
  );

/** Everything the llm module reads from a run's config: role chains, connections, prices, policies. */
export const ModelsConfig = z.strictObject({
  /**
   * Role → ordered chain of model ids; the first is preferred, the rest are fallbacks. A chain may open
   * with engines (`engine:claude-code/claude-sonnet-4-5`): that role's agents run the external
   * programs, taking the engines in turn, and the models after them serve cadre's own loop when an
   * engine fails.
   */
  roles: z
    .record(roleName, RoleChainEntries.min(1, 'a role needs at least one model'), { error: keyMessage })
    .default({}),
  /** Settings of the external agent programs (engines) that role chains name. */
  engines: EnginesConfig.prefault({}),
  providers: z
    .strictObject({ openai: ProviderConnection.optional(), anthropic: ProviderConnection.optional() })
    .default({}),
  compatible: z.record(compatibleName, CompatibleServer, { error: keyMessage }).default({}),
  /** Price overrides keyed by model id (`openai:gpt-5.2`) or by bare model name (`gpt-5.2`). */
  pricing: z.record(z.string().min(1), ModelPrice).default({}),
  retry: RetryPolicy.default({
    maxElapsedMs: 300_000,
    initialDelayMs: 1_000,
    maxDelayMs: 60_000,
    maxRetryAfterMs: 120_000,
  }),
  /**
   * What makes a chain move on to its next model: one list for every chain, or lists keyed by role (a
   * `default` entry serves the other roles). Normalized to the keyed form.
   */
  fallbackOn: z
    .union([fallbackList, z.record(roleName, fallbackList, { error: keyMessage })], { error: branchMessage })
    .transform(
      (value): Record<string, FallbackCategory[]> => (Array.isArray(value) ? { default: value } : value),
    )
    .default({}),
  /** Context window and output cap keyed by model id or `<provider>:*`; built-in defaults fill the rest. */
  limits: z.record(limitsKey, ModelLimits, { error: keyMessage }).default({}),
  /** `stream` or `generate` keyed by model id or `<provider>:*`, the exact id first; unlisted models stream. */
  transport: z.record(modelKey('transport'), ModelTransport, { error: keyMessage }).default({}),
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
