/** `\r[####------]  40% 400/1000 events 2500/s`: redrawn in place on a terminal (stderr). */
export function progressBar(processed: number, total: number, startedAt: number): string {
  const width = 30;
  const ratio = total > 0 ? Math.min(1, processed / total) : 1;
  const filled = Math.round(ratio * width);
  const rate = Math.round(processed / Math.max(0.001, (Date.now() - startedAt) / 1000));
  return `\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(ratio * 100).toFixed(0).padStart(3)}% ${processed}/${total} events ${rate}/s`;
}
