import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE } from '../errors/problem.js';

/** The OpenAPI schema of a problem+json body; registered under components.schemas.Problem. */
export const PROBLEM_SCHEMA = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: {
      type: 'string',
      format: 'uri',
      example: 'https://volunteer-campaigns.example/problems/shift-overlaps',
    },
    title: { type: 'string', example: 'Unprocessable Content' },
    status: { type: 'integer', example: 422 },
    detail: { type: 'string', example: 'The shift would overlap shift s-41 of the same member.' },
    instance: { type: 'string', example: '/shifts' },
    code: { type: 'string', example: 'shift_overlaps' },
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
  404: 'Unknown id',
  409: 'Conflict with the current state, or the same command id with another body',
  413: 'Body larger than the configured limit',
  422: 'Breaks a domain rule',
  504: 'The read model did not reach minPosition in time',
};

/** Documents the problem+json answers a route can give, e.g. `@ApiProblems(400, 401, 403, 422)`. */
export function ApiProblems(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: descriptions[status] ?? 'Error',
        content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } } },
      }),
    ),
  );
}
