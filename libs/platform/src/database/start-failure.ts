/** A start that failed for a reason the operator fixes: said in one line, without a stack. */
export class StartFailure extends Error {
  override readonly name = 'StartFailure';
}
