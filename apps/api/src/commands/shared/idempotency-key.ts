import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { idPattern } from '#domain';
import { idRule } from '#commands';
import { validationFailed } from '#platform';

/**
 * The `Idempotency-Key` header of a command route. It names the command as a body's `commandId` or
 * `id` does (event ids derive from it), so it follows the same rule, `idPattern`; a key outside it,
 * the empty one included, is a 400 naming the header. Resolved with the route's other parameters,
 * after the token and role checks and before the handler, so a refused request appends nothing.
 */
export const IdempotencyKey = createParamDecorator(
  (_: unknown, context: ExecutionContext): string | undefined => {
    const key = context.switchToHttp().getRequest<IncomingMessage>().headers['idempotency-key'];
    if (key === undefined) return undefined;
    // Node joins a header sent twice with ", ", which the pattern refuses as well
    if (typeof key === 'string' && idPattern.test(key)) return key;
    throw validationFailed([{ field: 'Idempotency-Key', message: idRule('Idempotency-Key') }]);
  },
);
