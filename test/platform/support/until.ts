/** Waits until `condition` holds, checking every 20 ms; throws after `ms`. */
export async function until(condition: () => boolean, ms: number): Promise<void> {
  for (const started = Date.now(); !condition();) {
    if (Date.now() - started > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
