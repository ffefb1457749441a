import { openSqliteBoard, type TaskBoard } from '../../board/index.ts';
import { createTempBoardDirectory } from '../../board/testing/temp-board.ts';
import type { Agent, Task } from '../../protocol/index.ts';

/** A real SQLite board with one run: a planner, two workers, tasks and agent events. */
export interface SeededBoard {
  board: TaskBoard;
  runId: string;
  planner: Agent;
  workers: Agent[];
  tasks: Task[];
  cleanup(): Promise<void>;
}

/** Creates the board the API tests share; `taskCount` work tasks, the first two leased by workers. */
export async function createSeededBoard(taskCount = 25): Promise<SeededBoard> {
  const directory = createTempBoardDirectory('cadre-dashboard-');
  const board = openSqliteBoard({ path: directory.path(), create: true });
  const run = await board.createRun({ goal: 'seeded dashboard run' });
  const cycle = await board.createCycle({ runId: run.id });
  const tasks = await board.createTasks(
    Array.from({ length: taskCount }, (_, index) => ({
      runId: run.id,
      cycleId: cycle.id,
      kind: 'work' as const,
      title: `task ${index}`,
      scope: [`src/area-${index}/**`],
    })),
  );
  const planner = await board.registerAgent({
    runId: run.id,
    cycleId: cycle.id,
    role: 'planner',
    model: 'sim:planner',
  });
  const workers: Agent[] = [];
  for (const task of tasks.slice(0, 2)) {
    const worker = await board.registerAgent({
      runId: run.id,
      cycleId: cycle.id,
      parentId: planner.id,
      role: 'worker',
      model: 'sim:worker',
      taskId: task.id,
    });
    await board.appendEvent({
      runId: run.id,
      agentId: worker.id,
      taskId: task.id,
      type: 'agent.tool-call-started',
      payload: { step: 1, toolCallId: 'call-1', toolName: 'read_file', input: { path: 'README.md' } },
    });
    await board.appendEvent({
      runId: run.id,
      agentId: worker.id,
      taskId: task.id,
      type: 'agent.model-call-ended',
      payload: {
        step: 1,
        purpose: 'step',
        modelId: 'sim:worker',
        usage: {
          inputTokens: 100,
          cachedInputTokens: 0,
          cacheWriteTokens: 0,
          outputTokens: 20,
          reasoningTokens: 0,
        },
        costUsd: 0.01,
        text: 'thinking',
        toolCalls: [],
        finishReason: 'tool-calls',
        latencyMs: 5,
      },
    });
    await board.updateAgent({
      agentId: worker.id,
      patch: {
        status: 'running',
        usage: { steps: 1, usage: { inputTokens: 100, outputTokens: 20 }, costUsd: 0.01, unpricedCalls: 0 },
      },
    });
    workers.push(worker);
  }
  const [first] = tasks;
  if (first) {
    await board.appendEvent({
      runId: run.id,
      agentId: workers[0]?.id ?? null,
      taskId: first.id,
      type: 'landing.landed',
      payload: {
        fence: 1,
        commit: 'abcdef1234567',
        source: 'push',
        attempts: 1,
        files: ['README.md'],
        elapsedMs: 10,
        agent: workers[0]?.id ?? 'owner',
      },
    });
  }
  return {
    board,
    runId: run.id,
    planner,
    workers,
    tasks,
    async cleanup() {
      await board.close();
      directory.cleanup();
    },
  };
}
