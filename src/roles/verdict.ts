// the verdict is part of the board's contract (it types `Cycle.verdict`), so it lives in protocol
export { Verdict } from '../protocol/index.ts';
