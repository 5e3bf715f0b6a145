import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * `mkdir -p`, one directory at a time. Node's own (`mkdirSync(dir, { recursive: true })`, and the
 * promise one) tries again for ever when the kernel answers ENOENT for a directory whose parent
 * exists, as /proc and /sys do: `DATA_DIR=/proc/x` held the CLI and the server at full CPU, deaf to
 * Ctrl-C and SIGTERM (their handlers never ran). Here that is the error it is, naming the directory.
 * `mode` applies to every directory made, as Node's recursive one does.
 */
export function makeDirectory(dir: string, mode?: number): void {
  const missing: string[] = [];
  for (let at = resolve(dir); !exists(at); at = dirname(at)) {
    missing.unshift(at);
    if (dirname(at) === at) break;
  }
  for (const at of missing) {
    try {
      mkdirSync(at, mode === undefined ? undefined : { mode });
    } catch (error) {
      // another process made it meanwhile (a server and a CLI starting together)
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  if (!statSync(dir).isDirectory())
    throw Object.assign(new Error(`EEXIST: not a directory, mkdir '${dir}'`), { code: 'EEXIST' });
}

const exists = (path: string) => statSync(path, { throwIfNoEntry: false }) !== undefined;
