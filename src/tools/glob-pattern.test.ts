import { describe, expect, it } from 'vitest';
import { globToRegExp } from './glob-pattern.ts';

function matches(pattern: string, file: string): boolean {
  return globToRegExp(pattern).test(file);
}

describe('globToRegExp', () => {
  it('matches a bare name pattern at any depth', () => {
    expect(matches('*.ts', 'a.ts')).toBe(true);
    expect(matches('*.ts', 'src/deep/a.ts')).toBe(true);
    expect(matches('*.ts', 'a.tsx')).toBe(false);
  });

  it('keeps * and ? inside one segment and lets ** cross them', () => {
    expect(matches('src/*.ts', 'src/a.ts')).toBe(true);
    expect(matches('src/*.ts', 'src/x/a.ts')).toBe(false);
    expect(matches('src/**/*.ts', 'src/a.ts')).toBe(true);
    expect(matches('src/**/*.ts', 'src/x/y/a.ts')).toBe(true);
    expect(matches('src/?.ts', 'src/ab.ts')).toBe(false);
    expect(matches('./src/*', 'src/a')).toBe(true);
  });

  it('supports braces and character classes, and escapes regex characters', () => {
    expect(matches('src/{a,b}.json', 'src/b.json')).toBe(true);
    expect(matches('src/{a,b}.json', 'src/c.json')).toBe(false);
    expect(matches('file[0-9].txt', 'file7.txt')).toBe(true);
    expect(matches('file[!0-9].txt', 'file7.txt')).toBe(false);
    expect(matches('a+b.(x)', 'a+b.(x)')).toBe(true);
    expect(matches('a.ts', 'aXts')).toBe(false);
  });
});
