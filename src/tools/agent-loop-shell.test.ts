// The agent loop with the real shell tool: lives in tools/ because agent/ may not import tools/.
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryInbox } from '../agent/index.ts';
import { runTestAgent } from '../agent/testing/run-test-agent.ts';
import { createScriptedModel } from '../llm/testing/index.ts';
import { createRunShellTool } from './run-shell.ts';
import { eventually, processIdsWithCommandLine } from './testing/process-table.ts';
import { createTempWorktree, type TempWorktree } from './testing/temp-worktree.ts';

// These tests use the real shell tool in bubblewrap; they live here because they test the loop's stop.
let worktree: TempWorktree;
afterEach(async () => {
  await worktree.remove();
});

describe('a stop during a long shell command', () => {
  it('kills the command with every process it started and ends the agent', async () => {
    worktree = await createTempWorktree({ git: true, files: { 'a.txt': 'a\n' } });
    const marker = `cadre-stop-${process.pid}-${Date.now()}`;
    // A background child and a foreground sleep, both carrying the marker on their command lines.
    const command = `(sleep 300 && echo ${marker}) & sleep 301 && echo ${marker}`;
    const model = createScriptedModel([
      { type: 'tool-calls', toolCalls: [{ name: 'run_shell', input: { command } }] },
    ]);
    const inbox = createMemoryInbox();
    let running: Promise<boolean> = Promise.resolve(false);
    const started = Date.now();
    const { result, events } = await runTestAgent(model, {
      tools: [createRunShellTool()],
      toolContext: worktree.context,
      pollInbox: inbox.poll,
      onEvent(event) {
        if (event.type !== 'tool-call-started') return;
        // Not awaited: the loop waits for its listener, and the command must start meanwhile.
        running = eventually(async () => (await processIdsWithCommandLine(marker)).length >= 2, 10_000).then(
          (seen) => {
            inbox.send({ type: 'stop', messageId: null, reason: 'operator stop' });
            return seen;
          },
        );
      },
    });
    expect(await running).toBe(true);
    expect(result.reason).toEqual({ type: 'stopped', reason: 'operator stop' });
    const types = events.map((event) => event.type);
    expect(types.slice(-4)).toEqual(['tool-call-started', 'stop-received', 'tool-call-ended', 'agent-ended']);
    expect(events.find((event) => event.type === 'tool-call-ended')).toMatchObject({
      outcome: { type: 'aborted' },
    });
    expect(await processIdsWithCommandLine(marker)).toEqual([]);
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});
