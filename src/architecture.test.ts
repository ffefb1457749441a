import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// DESIGN.md section 1: a module imports only from modules listed before it; the rows with two
// modules (server and web, eval and bench) are read left to right.
const moduleOrder = [
  'protocol',
  'sandbox',
  'board',
  'llm',
  'agent',
  'tools',
  'workspace',
  'roles',
  'orchestrator',
  'server',
  'web',
  'eval',
  'bench',
  'cli',
] as const;

const sourceRoot = dirname(fileURLToPath(import.meta.url));
const importPattern =
  /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** The module a path under src/ belongs to, or null for files at the top of src/. */
function moduleOf(path: string): string | null {
  const [first, ...rest] = relative(sourceRoot, path).split('/');
  return rest.length === 0 ? null : (first ?? null);
}

/** Every relative import that breaks the order, as "file imports target". */
function findViolations(files: readonly { path: string; text: string }[]): string[] {
  const violations: string[] = [];
  for (const file of files) {
    const from = moduleOf(file.path);
    if (from === null) continue;
    const fromRank = moduleOrder.indexOf(from as (typeof moduleOrder)[number]);
    for (const match of file.text.matchAll(importPattern)) {
      const specifier = match[1] ?? match[2] ?? '';
      const target = moduleOf(resolve(dirname(file.path), specifier));
      if (target === null || target === from) continue;
      const targetRank = moduleOrder.indexOf(target as (typeof moduleOrder)[number]);
      if (fromRank === -1 || targetRank === -1 || targetRank >= fromRank) {
        violations.push(`${relative(sourceRoot, file.path)} imports ${specifier}`);
      }
    }
  }
  return violations;
}

describe('module dependency direction', () => {
  it('every module under src/ is in the order', () => {
    const modules = readdirSync(sourceRoot, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
    expect(modules.filter((name) => !moduleOrder.includes(name as (typeof moduleOrder)[number]))).toEqual([]);
  });

  it('no module imports from a module listed after it', () => {
    const files = sourceFiles(sourceRoot).map((path) => ({ path, text: readFileSync(path, 'utf8') }));
    expect(files.length).toBeGreaterThan(10);
    expect(findViolations(files)).toEqual([]);
  });

  it('catches a backwards import, a dynamic one and a re-export', () => {
    const file = (module: string, text: string) => ({ path: join(sourceRoot, module, 'example.ts'), text });
    expect(
      findViolations([
        file('board', "import { createModel } from '../llm/create-model.ts';"),
        file('protocol', "const later = await import('../cli/main.ts');"),
        file('llm', "export { openSqliteBoard } from '../board/index.ts';"),
        file('eval', "import type { X } from '../bench/board-bench.ts';"),
      ]),
    ).toEqual([
      'board/example.ts imports ../llm/create-model.ts',
      'protocol/example.ts imports ../cli/main.ts',
      'eval/example.ts imports ../bench/board-bench.ts',
    ]);
  });
});
