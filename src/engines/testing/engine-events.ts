import type { EngineEvent, EngineStreamParser } from '../engine-adapter.ts';

/** The events of one type, typed as such: parser and run tests pick turns, tools and finals out of a stream. */
export function ofType<T extends EngineEvent['type']>(events: readonly EngineEvent[], type: T) {
  return events.filter((event): event is Extract<EngineEvent, { type: T }> => event.type === type);
}

/** Feeds every line to `parser` and then ends it, as runEngineProcess does, so a test sees the whole run's events. */
export function parseLines(parser: EngineStreamParser, lines: readonly string[]): EngineEvent[] {
  return [...lines.flatMap((line) => parser.line(line)), ...parser.end()];
}
