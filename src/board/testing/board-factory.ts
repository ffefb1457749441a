import type { BoardOptions } from '../sql-task-board.ts';
import type { TaskBoard } from '../task-board.ts';

/** How a backend opens a fresh, empty board for one conformance test. */
export interface BoardFactory {
  name: string;
  open(options: BoardOptions): Promise<TaskBoard>;
}
