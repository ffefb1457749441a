// Reading the project's markdown docs for src/cli/docs.test.ts: sections, headings and relative links.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/** A markdown file and its text; `path` is relative to the package root, with `/`. */
export interface MarkdownFile {
  path: string;
  text: string;
}

/** README.md, CONTRIBUTING.md and every `.md` file under docs/. */
export function readDocs(root: string): MarkdownFile[] {
  const walk = (directory: string): string[] =>
    readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) return walk(path);
      return entry.name.endsWith('.md') ? [path] : [];
    });
  const paths = [join(root, 'README.md'), join(root, 'CONTRIBUTING.md'), ...walk(join(root, 'docs'))];
  return paths
    .filter((path) => existsSync(path))
    .map((path) => ({ path: relative(root, path).split(sep).join('/'), text: readFileSync(path, 'utf8') }));
}

/** The lines of a markdown text with a flag for those inside fenced code blocks. */
function linesOf(text: string): { line: string; number: number; code: boolean }[] {
  let fence: string | null = null;
  return text.split('\n').map((line, index) => {
    const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (marker && (fence === null || marker.startsWith(fence))) {
      fence = fence === null ? marker : null;
      return { line, number: index + 1, code: true };
    }
    return { line, number: index + 1, code: fence !== null };
  });
}

/** A file cut at its headings (outside code blocks): each part is a heading and what follows, code included. */
export function sectionsOf(text: string): string[] {
  const sections: string[][] = [[]];
  for (const { line, code } of linesOf(text)) {
    if (!code && /^#{1,6}\s/.test(line)) sections.push([]);
    sections.at(-1)?.push(line);
  }
  return sections.map((lines) => lines.join('\n')).filter((section) => section.trim() !== '');
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces made hyphens. */
export function githubSlug(heading: string): string {
  return heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, '')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** The anchors of a file's headings, numbered as GitHub numbers repeated ones (`-1`, `-2`). */
export function anchorsOf(text: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const { line, code } of linesOf(text)) {
    const heading = code ? undefined : /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const slug = githubSlug(heading);
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/** A link of a file: where it is and what it points at. */
export interface MarkdownLink {
  file: string;
  line: number;
  target: string;
}

/** Every inline link and image of a file outside code blocks and code spans. */
export function linksOf(file: MarkdownFile): MarkdownLink[] {
  return linesOf(file.text).flatMap(({ line, number, code }) => {
    if (code) return [];
    const prose = line.replace(/(`+)[^`]*?\1/g, '');
    return [...prose.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((match) => ({
      file: file.path,
      line: number,
      target: match[1] ?? '',
    }));
  });
}

/**
 * Every relative link that does not resolve, as "file:line: target — why": a path that leaves the
 * package or does not exist, or an anchor that is no heading of its markdown file.
 */
export function findBrokenLinks(root: string, files: readonly MarkdownFile[]): string[] {
  const texts = new Map(files.map((file) => [file.path, file.text]));
  const textOf = (path: string) =>
    texts.get(path) ?? (existsSync(join(root, path)) ? readFileSync(join(root, path), 'utf8') : '');
  return files.flatMap((file) =>
    linksOf(file).flatMap((link) => {
      if (/^[a-z][a-z\d+.-]*:/i.test(link.target)) return [];
      const [pathPart = '', anchor] = link.target.split('#');
      const absolute =
        pathPart === '' ? join(root, file.path) : resolve(root, dirname(file.path), decodeURI(pathPart));
      const path = relative(root, absolute).split(sep).join('/');
      const broken = (why: string) => [`${file.path}:${link.line}: ${link.target} — ${why}`];
      if (path.startsWith('..')) return broken('leads outside the package');
      const known = texts.has(path);
      if (!known && !existsSync(absolute)) return broken(`${path} does not exist`);
      if (anchor === undefined || !path.endsWith('.md') || (!known && statSync(absolute).isDirectory()))
        return [];
      return anchorsOf(textOf(path)).has(anchor) ? [] : broken(`${path} has no heading #${anchor}`);
    }),
  );
}
