/**
 * Runs a CLI command's `run(args)` in this process, as `npm run cli` runs it off a terminal: `env`
 * over the environment (a key given as undefined is removed), stdout and stderr captured. The
 * environment and both streams are restored afterwards, whatever the command did.
 */
export async function runCliInProcess(
  run: (args: string[]) => Promise<number>,
  args: string[],
  env: Readonly<Record<string, string | undefined>>,
): Promise<{ code: number; out: string; err: string }> {
  const saved = { ...process.env };
  const tty = process.stderr.isTTY;
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  let out = '';
  let err = '';
  const write = {
    out: process.stdout.write.bind(process.stdout),
    err: process.stderr.write.bind(process.stderr),
  };
  // the callback called once the text is taken, as a stream's write calls it: a command waiting for
  // it (export audit's writeOut) would otherwise wait for ever
  const taken = (...rest: unknown[]) => {
    const callback = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
    if (callback) process.nextTick(callback);
    return true;
  };
  process.stdout.write = ((chunk: string, ...rest: unknown[]) => (
    (out += chunk),
    taken(...rest)
  )) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string, ...rest: unknown[]) => (
    (err += chunk),
    taken(...rest)
  )) as typeof process.stderr.write;
  process.stderr.isTTY = false;
  try {
    return { code: await run(args), out, err };
  } finally {
    process.stdout.write = write.out;
    process.stderr.write = write.err;
    process.stderr.isTTY = tty;
    process.env = saved;
  }
}
