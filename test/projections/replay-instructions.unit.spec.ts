import { howToRead } from '../../apps/cli/src/commands/replay.command.js';

// Found by probing the command line in README's first session, where `TOKEN` holds the operator's
// token: the lines `replay --to-time …` prints to paste began `TOKEN=$(… token --role viewer)`, and
// every operator command of the session after them was refused (403), DELETE /admin/snapshots too.
describe('what replay prints to read a snapshot', () => {
  const lines = howToRead('march').split('\n');
  const assigned = lines.flatMap((l) => /^\s*([A-Z_]+)=/.exec(l)?.[1] ?? []);

  it('given the shell of README’s session, when pasted, then it leaves TOKEN as it was', () => {
    expect(assigned.length).toBeGreaterThan(0);
    expect(assigned).not.toContain('TOKEN');
  });

  it('given the lines to paste, then every variable a curl line reads is one they assign', () => {
    const curls = lines.filter((l) => l.trim().startsWith('curl '));
    expect(curls.length).toBeGreaterThan(0);
    for (const curl of curls) {
      const read = /Bearer \$([A-Z_]+)/.exec(curl)?.[1];
      expect({ curl, read: assigned.includes(read ?? '') }).toEqual({ curl, read: true });
    }
  });
});
