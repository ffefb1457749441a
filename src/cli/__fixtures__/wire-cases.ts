/** The four ways cadre reaches a model over HTTP, and how each is pointed at the local server. */
export const wireCases = {
  /** OpenAI Responses; base URL and key from the environment. */
  openai: {
    modelId: (name: string) => `openai:${name}`,
    keyHeader: ['authorization', 'Bearer fake-openai-key'],
    env: (baseURL: string) => ({ OPENAI_API_KEY: 'fake-openai-key', OPENAI_BASE_URL: baseURL }),
    models: (_baseURL: string) => ({}),
  },
  /** OpenAI Chat Completions; base URL from the config, key from the environment. */
  'openai-chat': {
    modelId: (name: string) => `openai-chat:${name}`,
    keyHeader: ['authorization', 'Bearer fake-openai-key'],
    env: (_baseURL: string) => ({ OPENAI_API_KEY: 'fake-openai-key', OPENAI_BASE_URL: '' }),
    models: (baseURL: string) => ({ providers: { openai: { baseURL } } }),
  },
  /** Anthropic Messages (the SDK posts to `<base>/messages`, so the base ends in /v1). */
  anthropic: {
    modelId: (name: string) => `anthropic:${name}`,
    keyHeader: ['x-api-key', 'fake-anthropic-key'],
    env: (baseURL: string) => ({ ANTHROPIC_API_KEY: 'fake-anthropic-key', ANTHROPIC_BASE_URL: baseURL }),
    models: (_baseURL: string) => ({}),
  },
  /** A self-hosted Chat Completions server, configured by name, its key in a variable of its own. */
  'openai-compatible': {
    modelId: (name: string) => `openai-compatible:${name}`,
    keyHeader: ['authorization', 'Bearer fake-local-key'],
    env: (_baseURL: string) => ({ ROLE_PLAY_LOCAL_KEY: 'fake-local-key' }),
    models: (baseURL: string) => ({
      compatible: Object.fromEntries(
        ['role-play', 'rp-unavailable', 'rp-retired', 'rp-revoked'].map((name) => [
          name,
          { baseURL, model: `${name}-served`, apiKeyEnv: 'ROLE_PLAY_LOCAL_KEY' },
        ]),
      ),
    }),
  },
} as const;
/** One of the four wire cases. */
export type WireCaseName = keyof typeof wireCases;
