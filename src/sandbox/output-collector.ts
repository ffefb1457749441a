/** Collected output: the kept text and how many bytes were dropped from its middle. */
export interface CollectedOutput {
  text: string;
  droppedBytes: number;
}

/** Keeps the first and last halves of a byte cap of a stream, counting what falls in between. */
export interface OutputCollector {
  push(chunk: Buffer): void;
  finish(): CollectedOutput;
}

/**
 * Creates a collector bounded by `capBytes`, so a command that prints gigabytes cannot exhaust the
 * agent's memory; head and tail are kept because the end of a build log is where the error is.
 */
export function createOutputCollector(capBytes: number): OutputCollector {
  const headCap = Math.ceil(capBytes / 2);
  const tailCap = capBytes - headCap;
  const head: Buffer[] = [];
  let headLength = 0;
  let tail: Buffer[] = [];
  let tailLength = 0;
  let droppedBytes = 0;

  function pushTail(chunk: Buffer): void {
    tail.push(chunk);
    tailLength += chunk.length;
    if (tailLength <= tailCap * 2) return;
    // Compacting only when the tail doubles keeps the copying linear in the stream's length.
    const joined = Buffer.concat(tail);
    const kept = joined.subarray(joined.length - tailCap);
    droppedBytes += joined.length - kept.length;
    tail = [kept];
    tailLength = kept.length;
  }

  return {
    push(chunk) {
      const room = headCap - headLength;
      if (room > 0) {
        const taken = chunk.subarray(0, room);
        head.push(taken);
        headLength += taken.length;
        if (chunk.length > room) pushTail(chunk.subarray(room));
        return;
      }
      pushTail(chunk);
    },
    finish() {
      let tailBytes = Buffer.concat(tail);
      if (tailBytes.length > tailCap) {
        droppedBytes += tailBytes.length - tailCap;
        tailBytes = tailBytes.subarray(tailBytes.length - tailCap);
      }
      const headText = Buffer.concat(head).toString('utf8');
      const note = droppedBytes > 0 ? `\n[... ${droppedBytes} bytes of output dropped here ...]\n` : '';
      return { text: headText + note + tailBytes.toString('utf8'), droppedBytes };
    },
  };
}
