// Runs the suites in the reverse of Jest's own order (JEST_SEQUENCE=reverse): a suite that passes in
// one order and fails in the other depends on what ran before it. See README "Tests".
import Sequencer from '@jest/test-sequencer';

export default class ReverseSequencer extends Sequencer {
  async sort(tests) {
    return [...(await super.sort(tests))].reverse();
  }
}
