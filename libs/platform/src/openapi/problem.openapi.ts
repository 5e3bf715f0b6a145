import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE, problemType } from '../errors/problem.js';
import { saysWhenToRetry } from '../errors/problem.filter.js';

/** The OpenAPI schema of a problem+json body; registered under components.schemas.Problem. */
export const PROBLEM_SCHEMA = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: {
      type: 'string',
      format: 'uri',
    },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string', description: 'the path of the request (never its query string)' },
    code: { type: 'string', description: 'the last segment of type, with underscores' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['field', 'message'],
        properties: {
          field: { type: 'string', example: 'dailyWindow.from' },
          message: { type: 'string' },
        },
      },
    },
  },
} as const;

const descriptions: Record<number, string> = {
  400: 'Malformed JSON or an invalid body (errors[] names each bad field)',
  401: 'No bearer token, or a bad one',
  403: "Outside the token's role or unit subtree",
  404: 'Unknown id, or an unknown ?snapshot',
  409: 'Conflict with the current state, the same command id with another body, or a ?snapshot still building',
  413: 'Body larger than the configured limit',
  415: 'Body is not JSON',
  422: 'Breaks a domain rule',
  500: 'Unexpected failure (logged; no details returned)',
  503: 'The database is unavailable, the read model is being rebuilt for a new version of its projection, or every read query of the server is in use; retry after the Retry-After header',
  504: 'The read model did not reach minPosition in time',
};

const example = (
  status: number,
  title: string,
  code: string,
  detail: string,
  more: object = {},
) => ({ type: problemType(code), title, status, detail, code, ...more });

/** One realistic body per status, so that /docs shows what each answer looks like. */
const examples: Record<number, object> = {
  400: example(400, 'Bad Request', 'validation_failed', 'startedAt: must be an ISO 8601 instant', {
    errors: [{ field: 'startedAt', message: 'must be an ISO 8601 instant with an offset' }],
  }),
  401: example(401, 'Unauthorized', 'unauthorized', 'A bearer token is required.'),
  403: example(
    403,
    'Forbidden',
    'outside_subtree',
    'Unit ward-2 is outside the subtree of the token (ward-1).',
  ),
  404: example(404, 'Not Found', 'not_found', 'shift s-41 is unknown'),
  409: example(
    409,
    'Conflict',
    'command_id_reused',
    'This command id was used before with another body.',
  ),
  413: example(
    413,
    'Payload Too Large',
    'payload_too_large',
    'The request body is larger than the limit of 65536 bytes.',
  ),
  415: example(
    415,
    'Unsupported Media Type',
    'unsupported_media_type',
    'Send the body as application/json.',
  ),
  422: example(
    422,
    'Unprocessable Content',
    'shift_overlaps',
    'The shift would overlap shift s-41 of the same member.',
  ),
  500: example(500, 'Internal Server Error', 'internal_error', 'Something went wrong on our side.'),
  503: example(
    503,
    'Service Unavailable',
    'unavailable',
    'The database is unavailable; retry shortly.',
  ),
  504: example(
    504,
    'Gateway Timeout',
    'projection_lagging',
    'projection volunteer-activity is at position 1200, not yet at 1234 after waiting 5 s; retry later',
  ),
};

/**
 * API.md: a 503 says when to come back (and so does a 504, saysWhenToRetry). problem.filter.ts sets
 * it on every such problem+json answer, and /health on its own; /docs said nothing of it, so a generated client could not read it.
 */
export const RETRY_AFTER_HEADER = {
  'Retry-After': {
    description: 'Seconds to wait before retrying',
    required: true,
    schema: { type: 'integer', minimum: 0 },
  },
} as const;

/** The OpenAPI response of a problem+json answer with the given status. */
export function problemResponse(status: number) {
  return {
    description: descriptions[status] ?? 'Error',
    ...(saysWhenToRetry(status) ? { headers: RETRY_AFTER_HEADER } : {}),
    content: {
      [PROBLEM_CONTENT_TYPE]: {
        schema: { $ref: '#/components/schemas/Problem' },
        ...(examples[status] ? { example: examples[status] } : {}),
      },
    },
  };
}

/** Documents the problem+json answers a route can give, e.g. `@ApiProblems(400, 401, 403, 422)`. */
export function ApiProblems(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...statuses.map((status) => ApiResponse({ status, ...problemResponse(status) })),
  );
}
