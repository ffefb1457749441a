/** Where Anthropic's API lives when nothing else is configured (the AI SDK's convention: with `/v1`). */
export const anthropicDefaultBaseURL = 'https://api.anthropic.com/v1';
/** Where OpenAI's API lives when nothing else is configured. */
export const openaiDefaultBaseURL = 'https://api.openai.com/v1';

function withoutTrailingSlashes(url: string): string {
  return url.trim().replace(/\/+$/, '');
}

/**
 * Accepts both conventions for an Anthropic base URL: the AI SDK's, which ends in `/v1`, and the one of
 * Anthropic's own SDKs and Claude Code, which leaves it out (`https://proxy.example.com`). Anthropic's API
 * has no route outside `/v1`, so appending it when missing cannot send a request anywhere it was not meant
 * to go.
 */
export function normalizeAnthropicBaseURL(url: string): string {
  const trimmed = withoutTrailingSlashes(url);
  return /\/v1$/.test(trimmed) ? trimmed : `${trimmed}/v1`;
}

/**
 * OpenAI base URLs conventionally include `/v1`, but many OpenAI-shaped gateways serve other paths
 * (`…/openai`, `…/v1beta/openai`, none at all), so `/v1` is added only to OpenAI's own bare host, where it is
 * unambiguous. Trailing slashes are dropped everywhere.
 */
export function normalizeOpenAIBaseURL(url: string): string {
  const trimmed = withoutTrailingSlashes(url);
  return /^https:\/\/api\.openai\.com$/i.test(trimmed) ? `${trimmed}/v1` : trimmed;
}
