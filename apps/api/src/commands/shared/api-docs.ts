import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader } from '@nestjs/swagger';
import { ApiProblems } from '#platform';
import { CommandResultDto } from '#commands';

/** The answers every command route can give, for /docs (problem+json for each error class). */
export const ApiCommand = () =>
  applyDecorators(
    ApiBearerAuth(),
    ApiCreatedResponse({
      type: CommandResultDto,
      description: 'Recorded (or recorded before: same id, same body).',
    }),
    ApiProblems(400, 401, 403, 404, 409, 413, 422),
  );

/** For actions on an existing aggregate, whose body carries no id of its own. */
export const ApiIdempotencyKey = () =>
  ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      'Makes a retry safe: the same key with the same body answers the first result and records nothing; ' +
      'with another body, 409. The body field `commandId` does the same and wins over the header.',
  });
