import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  findFaceViolations,
  findForbiddenImports,
  findImportCycles,
  findOrderViolations,
  findPayloadCasts,
  moduleOf,
  moduleOrder,
  packageLayout,
  readSourceFiles,
  type SourceFile,
} from './architecture-rules.ts';

// DESIGN.md section 1, enforced over the relative imports of src/ and web/src (module `web`).
const layout = packageLayout(resolve(fileURLToPath(import.meta.url), '../..'));
const files = readSourceFiles(layout);
const modules = readdirSync(layout.sourceRoot, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

/** A synthetic file of a module (`web` lands in web/src), for the "catches" cases. */
function file(module: string, name: string, text: string): SourceFile {
  const root = module === 'web' ? layout.webRoot : join(layout.sourceRoot, module);
  return { path: join(root, name), text };
}

describe('module dependency direction', () => {
  it('every module under src/ is in the order', () => {
    expect(modules.filter((name) => !moduleOrder.includes(name as (typeof moduleOrder)[number]))).toEqual([]);
  });

  it('reads src/ and web/src, the web app as module web', () => {
    expect(files.length).toBeGreaterThan(10);
    expect(files.some((source) => moduleOf(layout, source.path) === 'web')).toBe(true);
  });

  it('no module imports from a module listed after it', () => {
    expect(findOrderViolations(layout, files)).toEqual([]);
  });

  it('catches a backwards import, a dynamic one, a re-export and one from the web app', () => {
    expect(
      findOrderViolations(layout, [
        file('board', 'example.ts', "import { createModel } from '../llm/create-model.ts';"),
        file('protocol', 'example.ts', "const later = await import('../cli/main.ts');"),
        file('llm', 'example.ts', "export { openSqliteBoard } from '../board/index.ts';"),
        file('eval', 'example.ts', "import type { X } from '../bench/board-bench.ts';"),
        file('web', 'example.tsx', "import type { RunOverview } from '../../src/server/index.ts';"),
        file('web', 'late.tsx', "import { main } from '../../src/cli/index.ts';"),
      ]),
    ).toEqual([
      'src/board/example.ts imports ../llm/create-model.ts',
      'src/protocol/example.ts imports ../cli/main.ts',
      'src/eval/example.ts imports ../bench/board-bench.ts',
      'web/src/late.tsx imports ../../src/cli/index.ts',
    ]);
  });
});

describe('module faces', () => {
  it('every module under src/ has an index.ts', () => {
    expect(modules.filter((name) => !existsSync(join(layout.sourceRoot, name, 'index.ts')))).toEqual([]);
  });

  it('code in another module imports only from index.ts, and testing/ only from tests, fixtures and benches', () => {
    expect(findFaceViolations(layout, files)).toEqual([]);
  });

  it('catches a deep import, a testing import from production code and a deep import from the web app', () => {
    expect(
      findFaceViolations(layout, [
        file('tools', 'example.ts', "import { defineTool } from '../agent/define-tool.ts';"),
        file('tools', 'face.ts', "import { defineTool } from '../agent/index.ts';"),
        file('roles', 'example.ts', "export { createFleetSimPolicies } from '../roles/sim/index.ts';"),
        file('orchestrator', 'example.ts', "import { createFleetSimPolicies } from '../roles/sim/index.ts';"),
        file('workspace', 'example.ts', "import { scriptedModel } from '../llm/testing/index.ts';"),
        file(
          'eval',
          'runner/example.ts',
          "import { tempWorktree } from '../../tools/testing/temp-worktree.ts';",
        ),
        file('web', 'example.tsx', "import type { RunOverview } from '../../src/server/api-types.ts';"),
        file('web', 'face.tsx', "import type { RunOverview } from '../../src/server/index.ts';"),
      ]),
    ).toEqual([
      'src/tools/example.ts imports ../agent/define-tool.ts',
      'src/orchestrator/example.ts imports ../roles/sim/index.ts',
      'src/workspace/example.ts imports ../llm/testing/index.ts',
      'src/eval/runner/example.ts imports ../../tools/testing/temp-worktree.ts',
      'web/src/example.tsx imports ../../src/server/api-types.ts',
    ]);
  });

  it('lets tests, testing/ folders, fixtures, the bench and the red-team suite use testing/ faces, and only those', () => {
    const deepTesting = "import { tempBoard } from '../../board/testing/temp-board.ts';";
    expect(
      findFaceViolations(layout, [
        file('roles', 'sub/example.test.ts', deepTesting),
        file('orchestrator', 'testing/example.ts', deepTesting),
        file('cli', '__fixtures__/example.ts', deepTesting),
        file('bench', 'strategies/example.ts', deepTesting),
        file('eval', 'red-team/example.ts', deepTesting),
        file('sandbox', 'network/testing/example.ts', "import { x } from '../../../protocol/testing/x.ts';"),
        file('roles', 'sub/example.test.ts', "import { Verdict } from '../../orchestrator/run-fleet.ts';"),
        file('eval', 'red-team/example.ts', "import { runShell } from '../../tools/run-shell.ts';"),
      ]),
    ).toEqual([
      'src/roles/sub/example.test.ts imports ../../orchestrator/run-fleet.ts',
      'src/eval/red-team/example.ts imports ../../tools/run-shell.ts',
    ]);
  });
});

describe('forbidden pairs', () => {
  it('llm does not import board, workspace does not import llm', () => {
    expect(findForbiddenImports(layout, files)).toEqual([]);
  });

  it('catches llm → board and workspace → llm, in tests too', () => {
    expect(
      findForbiddenImports(layout, [
        file('llm', 'example.ts', "import type { TaskBoard } from '../board/index.ts';"),
        file('workspace', 'example.ts', "import { createModel } from '../llm/index.ts';"),
        file('workspace', 'example.test.ts', "import { scriptedModel } from '../llm/testing/index.ts';"),
        file('agent', 'example.ts', "import type { TaskBoard } from '../board/index.ts';"),
        file('workspace', 'face.ts', "import { runShell } from '../tools/index.ts';"),
      ]),
    ).toEqual([
      'src/llm/example.ts imports ../board/index.ts (llm → board: models know nothing of the board)',
      'src/workspace/example.ts imports ../llm/index.ts (workspace → llm: git, worktrees and landing know nothing of LLMs)',
      'src/workspace/example.test.ts imports ../llm/testing/index.ts (workspace → llm: git, worktrees and landing know nothing of LLMs)',
    ]);
  });

  it('a pair may spare test files', () => {
    const pairs = [{ from: 'roles', to: 'llm', inTests: false, why: 'example' }];
    expect(
      findForbiddenImports(
        layout,
        [
          file('roles', 'example.ts', "import { createModel } from '../llm/index.ts';"),
          file('roles', 'example.test.ts', "import { createModel } from '../llm/index.ts';"),
        ],
        pairs,
      ),
    ).toEqual(['src/roles/example.ts imports ../llm/index.ts (roles → llm: example)']);
  });
});

describe('import cycles', () => {
  it('no file imports itself through other files, in src/ or web/src', () => {
    expect(findImportCycles(layout, files)).toEqual([]);
  });

  it('catches a two-file cycle, a longer one through a face and one made of type-only imports', () => {
    expect(
      findImportCycles(layout, [
        file('board', 'schema.ts', "import { compileOnce } from './sql/query.ts';"),
        file('board', 'sql/query.ts', "import type { BoardDatabase } from '../schema.ts';"),
        file('eval', 'a.ts', "import { b } from './b.ts';"),
        file('eval', 'b.ts', "export { c } from './index.ts';"),
        file('eval', 'index.ts', "export { a } from './a.ts';"),
        file('web', 'x.tsx', "import type { Y } from './y.ts';"),
        file('web', 'y.ts', "import type { X } from './x.tsx';"),
        file('llm', 'leaf.ts', "import { z } from 'zod';"),
        file('llm', 'user.ts', "import { leaf } from './leaf.ts';"),
      ]),
    ).toEqual([
      'src/board/schema.ts → src/board/sql/query.ts → src/board/schema.ts',
      'src/eval/a.ts → src/eval/b.ts → src/eval/index.ts → src/eval/a.ts',
      'web/src/x.tsx → web/src/y.ts → web/src/x.tsx',
    ]);
  });
});

describe('event payloads', () => {
  it('no file outside src/protocol casts an event payload: readers narrow on the event type', () => {
    expect(findPayloadCasts(layout, files)).toEqual([]);
  });

  it('catches a plain cast, one behind a default and one in the web app, but spares protocol and `as const`', () => {
    // built from parts so that this file does not hold the casts it looks for
    const cast = (before: string, after: string) => [before, 'as', after].join(' ');
    expect(
      findPayloadCasts(layout, [
        file('server', 'a.ts', `const call = ${cast('event.payload', '{ n: number };')}`),
        file(
          'orchestrator',
          'b.ts',
          `\nconst p = ${cast('(event.payload ?? {})', 'Record<string, unknown>;')}`,
        ),
        file('web', 'c.tsx', `preview(${cast('(ended.payload', '{ reason?: unknown }).reason')})`),
        file('protocol', 'events/d.ts', `return ${cast('{ type, payload }', 'CatalogEventInput;')}`),
        file('protocol', 'e.ts', `const x = ${cast('payload', 'Foo;')}`),
        file('bench', 'f.ts', `const fixed = ${cast('{ payload }', 'const;')}`),
      ]),
    ).toEqual(['src/server/a.ts:1', 'src/orchestrator/b.ts:2', 'web/src/c.tsx:1']);
  });
});
