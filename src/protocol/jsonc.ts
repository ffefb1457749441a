/**
 * Parses JSON with comments (`//` and `/* *\/`) and trailing commas, the format of
 * `cadre.config.json` so that `cadre init` can explain every setting in place. Throws SyntaxError.
 */
export function parseJsonc(text: string): unknown {
  let output = '';
  let index = 0;
  while (index < text.length) {
    const character = text[index] as string;
    if (character === '"') {
      const start = index;
      index++;
      while (index < text.length && text[index] !== '"') index += text[index] === '\\' ? 2 : 1;
      output += text.slice(start, index + 1);
      index++;
    } else if (character === '/' && text[index + 1] === '/') {
      while (index < text.length && text[index] !== '\n') index++;
    } else if (character === '/' && text[index + 1] === '*') {
      const end = text.indexOf('*/', index + 2);
      if (end === -1) throw new SyntaxError('a /* comment is never closed');
      // keep line breaks so JSON.parse reports the right line
      output += text.slice(index, end + 2).replace(/[^\n]/g, ' ');
      index = end + 2;
    } else {
      output += character;
      index++;
    }
  }
  return JSON.parse(output.replace(/,(\s*[}\]])/g, '$1'));
}
