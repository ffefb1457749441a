import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCadreConfig } from '../../orchestrator/index.ts';
import { parseJsonc } from '../../protocol/index.ts';
import { runInProcess } from '../testing/run-cli.ts';
import { registerInitCommand } from './init-command.ts';

const execFileAsync = promisify(execFile);
let repo: string;

beforeAll(async () => {
  repo = await mkdtemp(path.join(tmpdir(), 'cadre-init-'));
  await execFileAsync('git', ['init', '--quiet', '--initial-branch=main'], { cwd: repo });
});
afterAll(async () => {
  await rm(repo, { recursive: true, force: true });
});

describe('cadre init', () => {
  it('writes a valid commented config, and .cadre/ stays out of git status', async () => {
    const result = await runInProcess(registerInitCommand, ['init'], { cwd: repo });
    expect(result.error).toBeNull();
    const config = parseCadreConfig(
      parseJsonc(await readFile(path.join(repo, 'cadre.config.json'), 'utf8')),
      'the written config',
    );
    expect(config.tools.shell.network).toEqual({ type: 'none' });
    const { stdout } = await execFileAsync('git', ['status', '--porcelain'], { cwd: repo });
    expect(stdout).toBe('?? cadre.config.json\n');
  });

  it('refuses to overwrite a config without --force', async () => {
    const result = await runInProcess(registerInitCommand, ['init'], { cwd: repo });
    expect(result.error?.message).toMatch(/exists already; pass --force/);
  });
});
