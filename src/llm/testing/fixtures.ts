import { readFileSync } from 'node:fs';

/** Names of the recorded-shape error bodies in `__fixtures__/`. */
export type FixtureName =
  | 'openai-context-overflow'
  | 'anthropic-context-overflow'
  | 'openai-invalid-api-key'
  | 'anthropic-invalid-api-key'
  | 'openai-rate-limit'
  | 'anthropic-overloaded';

/** Reads one recorded-shape fixture as parsed JSON. */
export function loadFixture(name: FixtureName): unknown {
  return JSON.parse(readFileSync(new URL(`./__fixtures__/${name}.json`, import.meta.url), 'utf8'));
}
