import type { ApiErrorBody } from '../../src/server/index.ts';

/** A failed API call, with the server's error type and message. */
export class ApiCallError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiCallError';
  }
}

/** Calls the dashboard API with the access token. */
export interface ApiClient {
  get<Result>(
    path: string,
    query?: Record<string, string | number | undefined>,
    signal?: AbortSignal,
  ): Promise<Result>;
  post<Result>(path: string, body: unknown): Promise<Result>;
  /** The URL of a run's live stream; EventSource cannot send headers, so the token goes in the query. */
  streamUrl(runId: string, afterSeq: number): string;
}

function withQuery(path: string, query: Record<string, string | number | undefined> = {}): string {
  const parameters = new URLSearchParams();
  for (const [key, value] of Object.entries(query))
    if (value !== undefined) parameters.set(key, String(value));
  const text = parameters.toString();
  return text ? `${path}?${text}` : path;
}

async function readResult<Result>(response: Response): Promise<Result> {
  if (response.ok) return (await response.json()) as Result;
  const body = (await response.json().catch(() => null)) as ApiErrorBody | null;
  throw new ApiCallError(
    response.status,
    body?.error.type ?? 'http',
    body?.error.message ?? `${response.status} ${response.statusText}`,
  );
}

/** Creates a client that sends the token in a header (never a cookie). */
export function createApiClient(token: string): ApiClient {
  const headers = { authorization: `Bearer ${token}` };
  return {
    async get(path, query, signal) {
      return readResult(await fetch(withQuery(path, query), { headers, signal: signal ?? null }));
    },
    async post(path, body) {
      return readResult(
        await fetch(path, {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        }),
      );
    },
    streamUrl: (runId, afterSeq) =>
      withQuery(`/api/runs/${encodeURIComponent(runId)}/stream`, { afterSeq, token }),
  };
}

/**
 * The token from the start-up URL (`#token=…`), remembered for this tab so reloads and links work,
 * and then removed from the address bar.
 */
export function readAccessToken(): string | null {
  const match = /(?:^#|&)token=([^&]+)/.exec(window.location.hash);
  if (match?.[1]) {
    const token = decodeURIComponent(match[1]);
    window.sessionStorage.setItem('cadre-token', token);
    window.history.replaceState(null, '', `${window.location.pathname}#/`);
    return token;
  }
  return window.sessionStorage.getItem('cadre-token');
}
