import { run } from '../../apps/cli/src/commands/verify.command.js';
import { runCliInProcess } from '../harness/cli-in-process.js';

// Found by probing the command line: `verify --stream ''` (a script's `--stream "$STREAM"` with the
// variable unset) checked every stream and exited 0, "all hash chains intact", so the auditor was
// told the one stream they named was sound without it being singled out.
describe('npm run cli -- verify --stream', () => {
  it.each([[['--stream', '']], [['--stream=']]])(
    'refuses %j, an empty stream id, before reading anything',
    async (args) => {
      // given no database at all: the refusal must come from the arguments alone
      const env = { DATABASE_URL: undefined, DATA_DIR: '/nonexistent/verify-stream' };

      // when verify is asked for a stream whose id is empty
      const result = await runCliInProcess(run, args, env);

      // then it is a usage error naming the option, and nothing was checked
      expect(result.code).toBe(2);
      expect(result.err).toContain('--stream must name a stream');
      expect(result.err).toContain('usage: verify');
      expect(result.out).toBe('');
    },
  );
});
