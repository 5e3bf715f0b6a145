import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SOURCE = join(dirname(fileURLToPath(import.meta.url)), '..', 'tlog-check');

export type GoCheckInput = {
  key: string;
  checkpoint: string;
  inclusions?: { leafIndex: number; leafData: string; hashes: string[] }[];
  consistency?: { checkpoint: string; hashes: string[] };
};

export type GoCheckResult = { ok: boolean; stdout: string; stderr: string };

/**
 * test/tlog-check (golang.org/x/mod's note and tlog) built once into a temporary folder. Go is a
 * requirement of these suites, like Java is of the Kafka ones: without it they fail and say so,
 * rather than skip and let an unchecked format pass.
 */
export function buildGoChecker(): { check(input: GoCheckInput): GoCheckResult; remove(): void } {
  const version = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (version.error || version.status !== 0)
    throw new Error(
      'Go is not installed (no `go` on PATH): the verifiable-log suites check checkpoints and proofs ' +
        'with golang.org/x/mod v0.43.0 (test/tlog-check): install Go 1.26 (or 1.21+, which fetches the ' +
        '1.26 toolchain through the Go module proxy).',
    );
  const dir = mkdtempSync(join(tmpdir(), 'tlog-check-'));
  const binary = join(dir, 'tlog-check');
  const built = spawnSync('go', ['build', '-o', binary, '.'], {
    cwd: SOURCE,
    encoding: 'utf8',
    env: { ...process.env, GOFLAGS: '-mod=mod' },
  });
  if (built.status !== 0)
    throw new Error(`go build of test/tlog-check failed:\n${built.stderr || built.error?.message}`);
  return {
    check: (input) => {
      const run = spawnSync(binary, [], { input: JSON.stringify(input), encoding: 'utf8' });
      return { ok: run.status === 0, stdout: run.stdout, stderr: run.stderr };
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
