import { buildGoProgram, type GoRun } from '../harness/go-program.js';

export type GoCheckInput = {
  key: string;
  checkpoint: string;
  inclusions?: { leafIndex: number; leafData: string; hashes: string[] }[];
  consistency?: { checkpoint: string; hashes: string[] };
  /** Other notes signed by the key (an hours certificate's attestation): opened with note.Open. */
  notes?: (string | undefined)[];
};

export type GoCheckResult = GoRun;

/** test/tlog-check: checkpoints and proofs checked with golang.org/x/mod's note and tlog. */
export function buildGoChecker(): { check(input: GoCheckInput): GoCheckResult; remove(): void } {
  const program = buildGoProgram(
    'test/tlog-check',
    'the verifiable-log suites check checkpoints and proofs with golang.org/x/mod v0.43.0',
  );
  return { check: (input) => program.run(JSON.stringify(input)), remove: program.remove };
}
