import type { Socket } from 'node:net';

/**
 * Joins two sockets into a tunnel. An end travels through (half-close is kept, so a client may shut its
 * sending side and still read the answer); an error on either side tears both down.
 */
export function pipeBothWays(first: Socket, second: Socket): void {
  first.pipe(second);
  second.pipe(first);
  const destroyBoth = () => {
    first.destroy();
    second.destroy();
  };
  first.once('error', destroyBoth);
  second.once('error', destroyBoth);
  // A side gone without an error or an end (destroyed locally) can send nothing more.
  first.once('close', () => second.end());
  second.once('close', () => first.end());
}
