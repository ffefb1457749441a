import type { SuiteDefinition } from './suite.ts';
import { codingSuite } from './suites/coding/coding-suite.ts';
import { underwritingSuite } from './suites/underwriting/underwriting-suite.ts';

/** The suites `eval` knows by name: the built-in ones plus any the caller adds. */
export function createSuiteRegistry(extra: readonly SuiteDefinition[] = []): Map<string, SuiteDefinition> {
  return new Map([underwritingSuite, codingSuite, ...extra].map((suite) => [suite.name, suite]));
}
