import { describe, expect, it } from 'vitest';
import { createOutputCollector } from './output-collector.ts';

describe('createOutputCollector', () => {
  it('keeps everything under the cap', () => {
    const collector = createOutputCollector(100);
    collector.push(Buffer.from('hello '));
    collector.push(Buffer.from('world'));
    expect(collector.finish()).toEqual({ text: 'hello world', droppedBytes: 0 });
  });

  it('keeps the head and the tail of a long stream and counts the middle', () => {
    const collector = createOutputCollector(10);
    collector.push(Buffer.from('HEAD-'));
    for (let index = 0; index < 1000; index += 1) collector.push(Buffer.from('middle'));
    collector.push(Buffer.from('-TAIL'));
    const collected = collector.finish();
    expect(collected.droppedBytes).toBe(5 + 6000 + 5 - 10);
    expect(collected.text).toBe(
      `HEAD-\n[... ${collected.droppedBytes} bytes of output dropped here ...]\n-TAIL`,
    );
  });

  it('splits a single chunk that crosses the head', () => {
    const collector = createOutputCollector(4);
    collector.push(Buffer.from('abcdefgh'));
    expect(collector.finish()).toMatchObject({ droppedBytes: 4 });
  });
});
