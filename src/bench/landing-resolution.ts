/**
 * The benchmark's scripted conflict resolution: every conflicting region becomes the branch's lines
 * followed by the task's lines ("take both sides"), which is right for the benchmark's edits (each
 * lander appends its own line to a shared file).
 */
export function takeBothSides(text: string): string {
  const output: string[] = [];
  let side: 'outside' | 'branch' | 'base' | 'task' = 'outside';
  for (const line of text.split('\n')) {
    if (side === 'outside' && line.startsWith('<<<<<<<')) side = 'branch';
    else if (side === 'branch' && line.startsWith('|||||||')) side = 'base';
    else if ((side === 'branch' || side === 'base') && line === '=======') side = 'task';
    else if (side === 'task' && line.startsWith('>>>>>>>')) side = 'outside';
    else if (side !== 'base') output.push(line);
  }
  return output.join('\n');
}
