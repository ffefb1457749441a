import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from './cli-io.ts';
import { main } from './main.ts';
import { anchorsOf, findBrokenLinks, githubSlug, readDocs, sectionsOf } from './testing/markdown-docs.ts';

// Every command and flag `cadre … --help` prints is documented, and every relative link of the docs resolves.
const root = resolve(fileURLToPath(import.meta.url), '../../..');
const docs = readDocs(root);

/** What `cadre <path> --help` prints. */
async function helpOf(path: readonly string[]): Promise<string> {
  let output = '';
  const io: CliIo = {
    stdout: (text) => {
      output += text;
    },
    stderr: (text) => {
      output += text;
    },
    env: {},
    cwd: root,
    signal: new AbortController().signal,
  };
  const code = await main([...path, '--help'], io);
  if (code !== 0) throw new Error(`cadre ${path.join(' ')} --help exited with ${code}:\n${output}`);
  return output;
}

/** The lines of one part of a help text (`Options:`, `Commands:`), up to the next blank line. */
function part(help: string, title: string): string[] {
  const lines = help.split('\n');
  const start = lines.indexOf(`${title}:`);
  if (start === -1) return [];
  const end = lines.findIndex((line, index) => index > start && line.trim() === '');
  return lines.slice(start + 1, end === -1 ? undefined : end);
}

/** A command as its help shows it: its path after `cadre` and its long flags. */
interface HelpEntry {
  path: string[];
  flags: string[];
}

/** Walks the help of `cadre` and of every command below it. `cadre help` is listed, not walked. */
async function collectHelp(path: string[] = []): Promise<HelpEntry[]> {
  const help = await helpOf(path);
  const flags = part(help, 'Options')
    .map((line) => /^ {2}(?:-\w, )?(--[\w-]+)/.exec(line)?.[1])
    .filter((flag): flag is string => flag !== undefined);
  const children = part(help, 'Commands')
    .map((line) => /^ {2}([\w-]+)/.exec(line)?.[1])
    .filter((name): name is string => name !== undefined);
  const below = await Promise.all(
    children.map((name) =>
      name === 'help' ? [{ path: [...path, name], flags: [] }] : collectHelp([...path, name]),
    ),
  );
  return [{ path, flags }, ...below.flat()];
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const commandPattern = (path: readonly string[]) =>
  new RegExp(`\\b${escapeRegExp(['cadre', ...path].join(' '))}(?![\\w-])`);
const flagPattern = (flag: string) => new RegExp(`(?<![\\w-])${escapeRegExp(flag)}(?![\\w-])`);

describe('the docs cover the CLI', () => {
  let entries: HelpEntry[] = [];
  beforeAll(async () => {
    entries = await collectHelp();
  });
  const sections = docs.flatMap((file) => sectionsOf(file.text));

  it('the help walk finds every command and its flags', () => {
    const worktrees = entries.find((entry) => entry.path.join(' ') === 'bench worktrees');
    expect(entries.length).toBeGreaterThan(25);
    expect(worktrees?.flags).toEqual(expect.arrayContaining(['--repo', '--share', '--json']));
    expect(entries.map((entry) => entry.path.join(' '))).toEqual(
      expect.arrayContaining(['', 'run', 'board show', 'models ping', 'eval recommend', 'help']),
    );
  });

  it('every command is named in README.md, CONTRIBUTING.md or docs/', () => {
    const missing = entries
      .filter((entry) => !docs.some((file) => commandPattern(entry.path).test(file.text)))
      .map((entry) => `cadre ${entry.path.join(' ')} is in no doc (add it to docs/commands.md)`);
    expect(missing).toEqual([]);
  });

  it('every flag is named in a section that names its command', () => {
    // --help is on every command; it is documented once, for cadre itself.
    const missing = entries.flatMap((entry) =>
      entry.flags
        .filter((flag) => flag !== '--help' || entry.path.length === 0)
        .filter(
          (flag) =>
            !sections.some(
              (section) => commandPattern(entry.path).test(section) && flagPattern(flag).test(section),
            ),
        )
        .map(
          (flag) =>
            `cadre ${[...entry.path, flag].join(' ')}: no section of the docs names both the command and the flag (add it to docs/commands.md)`,
        ),
    );
    expect(missing).toEqual([]);
  });
});

describe('the docs link to what exists', () => {
  it('reads README.md, CONTRIBUTING.md and docs/', () => {
    expect(docs.map((file) => file.path)).toEqual(
      expect.arrayContaining(['README.md', 'CONTRIBUTING.md', 'docs/commands.md']),
    );
  });

  it('every relative link leads to a file of the package, and every #anchor to a heading', () => {
    expect(findBrokenLinks(root, docs)).toEqual([]);
  });

  it('the README links every docs page', () => {
    const readme = docs.find((file) => file.path === 'README.md')?.text ?? '';
    const unlinked = docs
      .filter((file) => file.path.startsWith('docs/'))
      .filter((file) => !readme.includes(`](${file.path})`))
      .map((file) => `${file.path} is not linked from README.md`);
    expect(unlinked).toEqual([]);
  });
});

describe('the checker', () => {
  it('makes GitHub slugs', () => {
    expect(githubSlug('Configuration (`WorkspaceConfig`)')).toBe('configuration-workspaceconfig');
    expect(githubSlug('`cadre --help`, `cadre --version`, `cadre help`')).toBe(
      'cadre---help-cadre---version-cadre-help',
    );
    expect(githubSlug("Why flat-lock lands near the seed's 2–3 agents")).toBe(
      'why-flat-lock-lands-near-the-seeds-23-agents',
    );
    expect(githubSlug('See [the board](board.md) & more_things')).toBe('see-the-board--more_things');
    expect([...anchorsOf('# A\n## Tests\n```\n# not a heading\n```\n### Tests\n')]).toEqual([
      'a',
      'tests',
      'tests-1',
    ]);
  });

  it('catches a missing file, a missing anchor and a path out of the package, but not code or URLs', () => {
    const files = [
      {
        path: 'docs/a.md',
        text: [
          '# Page A',
          '[ok](b.md#part-two) [ok](#page-a) [web](https://example.com/x.md) `[code](nowhere.md)`',
          '[gone](missing.md) [anchor](b.md#part-three) [out](../../outside.md)',
          '```',
          '[in code](nowhere.md)',
          '```',
        ].join('\n'),
      },
      { path: 'docs/b.md', text: '# B\n## Part two\n' },
    ];
    expect(findBrokenLinks(root, files)).toEqual([
      'docs/a.md:3: missing.md — docs/missing.md does not exist',
      'docs/a.md:3: b.md#part-three — docs/b.md has no heading #part-three',
      'docs/a.md:3: ../../outside.md — leads outside the package',
    ]);
  });

  it('cuts a file at its headings, not at lines in code blocks', () => {
    expect(sectionsOf('intro\n# One\ntext\n```sh\n# comment\n```\n## Two\n')).toEqual([
      'intro',
      '# One\ntext\n```sh\n# comment\n```',
      '## Two\n',
    ]);
  });
});
