import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiExtension, ApiHeader } from '@nestjs/swagger';
import { ApiProblems } from '#platform';
import { idPattern } from '#domain';
import { CommandResultDto } from '#commands';

/** Who may send each kind of command (API.md "Who may do what"); /docs shows it on the route. */
export const ACCESS = {
  inSubtree: "coordinator (inside the token's unit subtree), operator",
  ownShift:
    "volunteer (their own shifts), coordinator (members of the token's unit subtree), operator",
  review: "coordinator (shifts of others in the token's unit subtree, never their own), operator",
} as const;

/** The answers every command route can give, for /docs (problem+json for each error class). */
export const ApiCommand = (access: string) =>
  applyDecorators(
    ApiExtension('x-access', access),
    ApiBearerAuth(),
    ApiCreatedResponse({
      type: CommandResultDto,
      description: 'Recorded (or recorded before: same id, same body).',
    }),
    ApiProblems(400, 401, 403, 404, 409, 413, 422),
  );

/**
 * For every command route: the header names the command when its body does not (the body `id` of a
 * creation, `commandId` of an action; either wins over the header, see resolveCreationId and
 * resolveActionId).
 */
export const ApiIdempotencyKey = () =>
  ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    schema: { type: 'string', pattern: idPattern.source },
    description:
      'Makes a retry safe: the same key with the same body answers the first result and records nothing; ' +
      'with another body, 409. The body field `commandId` does the same and wins over the header. ' +
      'Like a command id: 1-100 letters, digits, ".", "_", ":" or "-", starting with a letter or digit (else 400).',
  });
