import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(process.cwd());
const builtPlatform = resolve(root, 'dist/libs/platform/src/index.js');

/**
 * Runs `body` (an ES module's statements, with the built #platform as `platform` and DATA_DIR as
 * `dataDir`) in a process that can create files but write nothing into them, as on a full disk: a
 * file-size limit of 0 with SIGXFSZ ignored makes every write fail (EFBIG) once the file exists.
 * Resolves with the process's exit code.
 */
export function onFullDisk(body: string, dataDir: string): Promise<number | null> {
  const script =
    `const platform = await import(${JSON.stringify(builtPlatform)});` +
    `const dataDir = process.argv[1];` +
    body;
  const child = spawn(
    'bash',
    [
      '-c',
      'trap "" XFSZ; ulimit -f 0; exec "$0" --input-type=module -e "$1" "$2"',
      process.execPath,
      script,
      dataDir,
    ],
    { cwd: root, stdio: 'ignore' },
  );
  return new Promise((done) => child.once('exit', (code) => done(code)));
}
