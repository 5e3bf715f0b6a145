import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export type GoRun = { ok: boolean; stdout: string; stderr: string };

/**
 * A Go program of test/ (`folder`, e.g. `test/tlog-check`) built once into a temporary folder: the
 * outside implementations that check the formats other tools read. Go is a requirement of the suites
 * that use one, like Java is of the Kafka ones: without it they fail and say so (`why` names what the
 * program checks), rather than skip and let an unchecked format pass.
 */
export function buildGoProgram(
  folder: string,
  why: string,
): { run(stdin: string, args?: readonly string[]): GoRun; remove(): void } {
  const version = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (version.error || version.status !== 0)
    throw new Error(
      `Go is not installed (no \`go\` on PATH): ${why} (${folder}): install Go 1.26 (or 1.21+, ` +
        'which fetches the 1.26 toolchain through the Go module proxy).',
    );
  const dir = mkdtempSync(join(tmpdir(), 'go-program-'));
  const binary = join(dir, 'program');
  const built = spawnSync('go', ['build', '-o', binary, '.'], {
    cwd: resolve(root, folder),
    encoding: 'utf8',
    env: { ...process.env, GOFLAGS: '-mod=mod' },
  });
  if (built.status !== 0)
    throw new Error(`go build of ${folder} failed:\n${built.stderr || built.error?.message}`);
  return {
    run: (stdin, args = []) => {
      // Node's default of 1 MB would cut a reader's output short (a topic's records, one line each).
      const run = spawnSync(binary, [...args], {
        input: stdin,
        encoding: 'utf8',
        maxBuffer: 256 * 1024 * 1024,
      });
      return { ok: run.status === 0, stdout: run.stdout, stderr: run.stderr };
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
