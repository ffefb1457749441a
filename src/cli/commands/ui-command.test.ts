import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteBoard } from '../../board/index.ts';
import { createTempBoardDirectory, type TempBoardDirectory } from '../../board/testing/temp-board.ts';
import { type CliIo, UsageError } from '../cli-io.ts';
import { registerUiCommand } from './ui-command.ts';

let directory: TempBoardDirectory;
let boardPath: string;
let runId: string;

function startUi(args: string[], env: NodeJS.ProcessEnv = {}) {
  const controller = new AbortController();
  let stdout = '';
  const io: CliIo = {
    stdout: (text) => {
      stdout += text;
    },
    stderr: () => {},
    env,
    cwd: directory.directory,
    signal: controller.signal,
  };
  const program = new Command('cadre').exitOverride();
  registerUiCommand(program, io);
  const done = program.parseAsync(['ui', '--db', boardPath, ...args], { from: 'user' });
  return { done, stop: () => controller.abort(), output: () => stdout };
}

beforeAll(async () => {
  directory = createTempBoardDirectory('cadre-ui-');
  boardPath = directory.path();
  const board = openSqliteBoard({ path: boardPath, create: true });
  runId = (await board.createRun({ goal: 'ui command test' })).id;
  await board.close();
});
afterAll(() => directory.cleanup());

describe('cadre ui', () => {
  it('serves the board and prints the address with the token until interrupted', async () => {
    const ui = startUi(['--port', '0']);
    await expect.poll(ui.output, { timeout: 30_000 }).toMatch(/#token=/);
    const url = new URL(/http:\/\/\S+/.exec(ui.output())?.[0] as string);
    expect(url.hostname).toBe('127.0.0.1');
    const token = url.hash.replace('#token=', '');
    const runs = await fetch(`${url.origin}/api/runs`, { headers: { authorization: `Bearer ${token}` } });
    expect(((await runs.json()) as { items: { id: string }[] }).items.map((run) => run.id)).toEqual([runId]);
    const page = await fetch(`${url.origin}/`);
    expect(await page.text()).toContain('<div id="root">');
    ui.stop();
    await ui.done;
  });

  it('uses the configured token from the environment', async () => {
    const ui = startUi(['--port', '0'], { CADRE_UI_TOKEN: 'configured-token-123456' });
    await expect.poll(ui.output, { timeout: 30_000 }).toMatch(/#token=configured-token-123456/);
    ui.stop();
    await ui.done;
  });

  it('refuses a public address without a token, and a bad port, as usage errors', async () => {
    await expect(startUi(['--host', '0.0.0.0', '--port', '0']).done).rejects.toThrow(UsageError);
    await expect(startUi(['--port', '70000']).done).rejects.toThrow(/--port/);
  });
});
