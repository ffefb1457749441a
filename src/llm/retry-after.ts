/**
 * Milliseconds a response asks the caller to wait, from `retry-after-ms` (sent by OpenAI) or `retry-after`
 * (seconds or an HTTP date), or null when it says nothing usable.
 */
export function parseRetryAfter(headers: Record<string, string> | undefined, now: number): number | null {
  if (headers === undefined) return null;
  const lower = new Map(Object.entries(headers).map(([key, value]) => [key.toLowerCase(), value]));
  const milliseconds = lower.get('retry-after-ms');
  if (milliseconds !== undefined && /^\d+(\.\d+)?$/.test(milliseconds.trim())) {
    return Math.ceil(Number(milliseconds));
  }
  const value = lower.get('retry-after')?.trim();
  if (value === undefined || value === '') return null;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value) * 1000);
  const date = Date.parse(value);
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - now);
}
