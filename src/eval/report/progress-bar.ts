/** A progress callback that redraws a one-line bar of finished trials (nothing when disabled, e.g. --json). */
export function createProgressBar(
  write: (text: string) => void,
  enabled: boolean,
): (done: number, total: number) => void {
  return (done, total) => {
    if (!enabled) return;
    const width = 30;
    const filled = total === 0 ? width : Math.round((done / total) * width);
    write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} trials`);
    if (done === total) write('\n');
  };
}
