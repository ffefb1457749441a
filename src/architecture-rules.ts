// The rules src/architecture.test.ts enforces over relative imports in src/ and web/src (DESIGN.md section 1).
// Each finder takes the files as data, so a test can hand it a synthetic violation.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/** A module imports only from modules listed before it; the rows with two modules (server and web, eval and bench) are read left to right. */
export const moduleOrder = [
  'protocol',
  'sandbox',
  'board',
  'llm',
  'agent',
  'tools',
  'workspace',
  'engines',
  'roles',
  'orchestrator',
  'server',
  'web',
  'eval',
  'bench',
  'cli',
] as const;

/** An import the order allows but the design forbids. */
export interface ForbiddenPair {
  from: string;
  to: string;
  /** Whether the pair is forbidden in test files too. */
  inTests: boolean;
  why: string;
}

/** Pairs a single order cannot express. */
export const forbiddenPairs: readonly ForbiddenPair[] = [
  { from: 'llm', to: 'board', inTests: true, why: 'models know nothing of the board' },
  { from: 'workspace', to: 'llm', inTests: true, why: 'git, worktrees and landing know nothing of LLMs' },
];

/** Where the two source trees live: src/ (one folder per module) and the web app (module `web`). */
export interface SourceLayout {
  packageRoot: string;
  sourceRoot: string;
  webRoot: string;
}

/** A source file and its text. */
export interface SourceFile {
  path: string;
  text: string;
}

/** The layout of this package. */
export function packageLayout(packageRoot: string): SourceLayout {
  return { packageRoot, sourceRoot: join(packageRoot, 'src'), webRoot: join(packageRoot, 'web', 'src') };
}

const importPattern =
  /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

/** Every .ts and .tsx file under a directory. */
function listSourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : listSourceFiles(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** Reads every source file of src/ and the web app. */
export function readSourceFiles(layout: SourceLayout): SourceFile[] {
  return [...listSourceFiles(layout.sourceRoot), ...listSourceFiles(layout.webRoot)].map((path) => ({
    path,
    text: readFileSync(path, 'utf8'),
  }));
}

/** The relative specifiers a file imports or re-exports, static, dynamic and type-only alike. */
export function relativeImports(text: string): string[] {
  return [...text.matchAll(importPattern)].map((match) => match[1] ?? match[2] ?? '');
}

/** Where a file sits: its module (null at the top of src/ or outside both trees) and its path inside the module. */
function locate(layout: SourceLayout, path: string): { module: string | null; inner: string } {
  const inWeb = relative(layout.webRoot, path);
  if (!inWeb.startsWith('..')) return { module: 'web', inner: inWeb.split(sep).join('/') };
  const [first, ...rest] = relative(layout.sourceRoot, path).split(sep);
  if (first === '..' || rest.length === 0) return { module: null, inner: '' };
  return { module: first ?? null, inner: rest.join('/') };
}

/** The module a path belongs to, or null for files at the top of src/. */
export function moduleOf(layout: SourceLayout, path: string): string | null {
  return locate(layout, path).module;
}

/** A path as the reports print it: relative to the package root. */
function shown(layout: SourceLayout, path: string): string {
  return relative(layout.packageRoot, path).split(sep).join('/');
}

/** Test files: `*.test.ts` and `*.test.tsx`. */
export function isTestFile(path: string): boolean {
  return /\.test\.tsx?$/.test(path);
}

/** Files that may use other modules' testing faces: tests, testing/ folders, fixtures, the bench and the red-team suite. */
export function mayImportTesting(layout: SourceLayout, path: string): boolean {
  const { module, inner } = locate(layout, path);
  const folders = inner.split('/').slice(0, -1);
  return (
    isTestFile(path) ||
    folders.includes('testing') ||
    folders.includes('__fixtures__') ||
    module === 'bench' ||
    (module === 'eval' && folders[0] === 'red-team')
  );
}

/** One cross-module import: who imports what, resolved. */
interface CrossImport {
  file: string;
  specifier: string;
  from: string;
  to: string;
  inner: string;
}

/** Every import from one module into another (files at the top of src/ belong to no module and are skipped). */
function crossImports(layout: SourceLayout, files: readonly SourceFile[]): CrossImport[] {
  return files.flatMap((file) => {
    const from = moduleOf(layout, file.path);
    if (from === null) return [];
    return relativeImports(file.text).flatMap((specifier) => {
      const target = locate(layout, resolve(dirname(file.path), specifier));
      if (target.module === null || target.module === from) return [];
      return [{ file: file.path, specifier, from, to: target.module, inner: target.inner }];
    });
  });
}

const describeImport = (layout: SourceLayout, item: CrossImport) =>
  `${shown(layout, item.file)} imports ${item.specifier}`;

/** Every import that breaks the order (or leaves the known modules), as "file imports target". */
export function findOrderViolations(layout: SourceLayout, files: readonly SourceFile[]): string[] {
  const rank = (module: string) => moduleOrder.indexOf(module as (typeof moduleOrder)[number]);
  return crossImports(layout, files)
    .filter((item) => rank(item.from) === -1 || rank(item.to) === -1 || rank(item.to) >= rank(item.from))
    .map((item) => describeImport(layout, item));
}

/** Every cross-module import that bypasses the target's face: `index.ts`, or a `testing/` folder for the files allowed to. */
export function findFaceViolations(layout: SourceLayout, files: readonly SourceFile[]): string[] {
  return crossImports(layout, files)
    .filter((item) => {
      if (item.inner === 'index.ts') return false;
      const testingFace = item.inner.split('/').slice(0, -1).includes('testing');
      return !(testingFace && mayImportTesting(layout, item.file));
    })
    .map((item) => describeImport(layout, item));
}

/** Every import of a forbidden pair, with the reason. */
export function findForbiddenImports(
  layout: SourceLayout,
  files: readonly SourceFile[],
  pairs: readonly ForbiddenPair[] = forbiddenPairs,
): string[] {
  return crossImports(layout, files).flatMap((item) => {
    const pair = pairs.find(
      (candidate) =>
        candidate.from === item.from &&
        candidate.to === item.to &&
        (candidate.inTests || !isTestFile(item.file)),
    );
    return pair ? [`${describeImport(layout, item)} (${pair.from} → ${pair.to}: ${pair.why})`] : [];
  });
}

/** Every file-level import cycle (type-only imports count), each as "a → b → a", found by a depth-first search. */
export function findImportCycles(layout: SourceLayout, files: readonly SourceFile[]): string[] {
  const known = new Set(files.map((file) => file.path));
  const edges = new Map(
    files.map((file) => [
      file.path,
      [
        ...new Set(relativeImports(file.text).map((specifier) => resolve(dirname(file.path), specifier))),
      ].filter((target) => known.has(target)),
    ]),
  );
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const cycles = new Map<string, string>();
  const visit = (path: string) => {
    state.set(path, 'open');
    stack.push(path);
    for (const target of edges.get(path) ?? []) {
      if (state.get(target) === 'open') {
        const loop = stack.slice(stack.indexOf(target));
        const start = loop.indexOf([...loop].sort()[0] as string);
        const rotated = [...loop.slice(start), ...loop.slice(0, start)];
        const text = [...rotated, rotated[0] as string].map((file) => shown(layout, file)).join(' → ');
        cycles.set(text, text);
      } else if (!state.has(target)) visit(target);
    }
    stack.pop();
    state.set(path, 'done');
  };
  for (const path of [...known].sort()) if (!state.has(path)) visit(path);
  return [...cycles.values()].sort();
}

// a cast of `payload` (plain, behind `?? default`, or parenthesized) to anything but `const`
const payloadCastPattern = /\bpayload\b(?:\s*\?\?\s*[^)\n]*)?\)?\s+as\s+(?!const\b)/g;

/**
 * Every cast of an event payload outside `src/protocol/` (the event catalog), as "file:line": a
 * reader narrows on `event.type` and gets the catalog's typed payload instead.
 */
export function findPayloadCasts(layout: SourceLayout, files: readonly SourceFile[]): string[] {
  const protocolRoot = join(layout.sourceRoot, 'protocol') + sep;
  return files
    .filter((file) => !file.path.startsWith(protocolRoot))
    .flatMap((file) =>
      [...file.text.matchAll(payloadCastPattern)].map((match) => {
        const line = file.text.slice(0, match.index).split('\n').length;
        return `${shown(layout, file.path)}:${line}`;
      }),
    );
}
