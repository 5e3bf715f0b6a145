import { run as replay } from '../../apps/cli/src/commands/replay.command.js';
import { run as verify } from '../../apps/cli/src/commands/verify.command.js';
import { runCliInProcess } from '../harness/cli-in-process.js';

/** A window title, a screen cleared, the cursor sent up a line: what a terminal acts on. */
const sequence = '\u001b]0;pwned\u0007\u001b[2J\u001b[1A';

// Found by probing: a refused argument was quoted back raw (`unexpected argument …`, `unknown
// projection …`, parseArgs' "Unknown option '…'"), so an argument a script filled from elsewhere
// retitled the terminal, cleared it or rewrote the line above the refusal.
describe('a refused argument quoted back on the terminal', () => {
  // given no database at all: the refusal comes from the arguments alone
  const env = { DATABASE_URL: undefined, DATA_DIR: '/nonexistent/cli-refusal-text' };

  it.each([
    ['an unexpected argument', verify, [`x${sequence}`]],
    ['an unknown option', verify, [`--x${sequence}`]],
    ['an unknown projection', replay, ['--projection', `x${sequence}`]],
  ])(
    'given %s holding escape sequences, then it is quoted escaped, exit 2',
    async (_, run, args) => {
      const result = await runCliInProcess(run, args, env);

      expect(result.code).toBe(2);
      expect(result.err).toContain('\\u001B]0;pwned\\u0007\\u001B[2J\\u001B[1A');
      expect(result.err).not.toContain('\u001b');
      expect(result.out).toBe('');
    },
  );

  it('given a refusal of several lines, then its line breaks are kept', async () => {
    const result = await runCliInProcess(replay, ['--projection', '--all'], env);

    expect(result.code).toBe(2);
    expect(result.err).toContain(
      "replay: Option '--projection' argument is ambiguous.\nDid you forget to specify",
    );
    expect(result.err).not.toContain('\\u000A');
  });
});
