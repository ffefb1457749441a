import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const workspaceRoot = dirname(fileURLToPath(import.meta.url));
const sourceRoot = resolve(workspaceRoot, '..');
const allowed = ['workspace/', 'protocol/', 'sandbox/', 'board/', 'agent/', 'tools/'];

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

describe('workspace module boundary', () => {
  it('imports only from itself, the modules before it and packages', () => {
    const violations: string[] = [];
    for (const file of sourceFiles(workspaceRoot)) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)) {
        const target = relative(sourceRoot, resolve(dirname(file), match[1] ?? ''));
        if (!allowed.some((prefix) => target.startsWith(prefix)))
          violations.push(`${relative(sourceRoot, file)} imports ${match[1]}`);
      }
    }
    expect(violations).toEqual([]);
  });
});
