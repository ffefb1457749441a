/** Text cut to a cap, and how much was cut. */
export interface TruncatedOutput {
  text: string;
  cutCharacters: number;
}

/**
 * Cuts text longer than `capCharacters` out of the middle, keeping the head and the tail: the start
 * of an output says what it is, the end usually holds the error or the summary.
 */
export function truncateOutput(text: string, capCharacters: number): TruncatedOutput {
  if (text.length <= capCharacters) return { text, cutCharacters: 0 };
  const headLength = safeBoundary(text, Math.ceil(capCharacters / 2));
  const tailStart = safeBoundary(text, text.length - Math.floor(capCharacters / 2));
  const head = text.slice(0, headLength);
  const tail = text.slice(tailStart);
  const cut = text.slice(headLength, tailStart);
  const cutLines = countNewlines(cut);
  const note =
    `\n[... ${cut.length} of ${text.length} characters (${cutLines} lines) cut here;` +
    ' narrow the request to see them ...]\n';
  return { text: head + note + tail, cutCharacters: cut.length };
}

// Moving the boundary off a low surrogate keeps an emoji or other astral character from being split in two.
function safeBoundary(text: string, index: number): number {
  const code = text.charCodeAt(index);
  return code >= 0xdc00 && code <= 0xdfff ? index - 1 : index;
}

function countNewlines(text: string): number {
  let count = 0;
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) count += 1;
  return count;
}
