import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE, PROBLEM_SCHEMA } from '#platform';

const PUBLIC_PATHS = ['/health'];

const generic: Record<string, string> = {
  '400': 'Malformed JSON or an invalid body (errors[] names each bad field)',
  '401': 'No bearer token, or a bad one',
  '403': "Outside the token's role or unit subtree",
  '413': 'Body larger than the configured limit',
  '415': 'Body is not JSON',
  '500': 'Unexpected failure (logged; no details returned)',
};

/**
 * The answers every route can give whatever its controller declares: the platform's own errors
 * (auth, body parsing, validation). Controllers document their specific ones (404, 409, 422).
 */
function addPlatformProblems(document: OpenAPIObject): void {
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of ['get', 'post', 'put', 'patch', 'delete'] as const) {
      const operation = item[method];
      if (!operation) continue;
      const isPublic =
        PUBLIC_PATHS.includes(path) ||
        (operation.security !== undefined && operation.security.length === 0);
      const hasBody = method === 'post' || method === 'put' || method === 'patch';
      const statuses = [
        ...(isPublic ? [] : ['401', '403']),
        ...(hasBody ? ['400', '413', '415'] : []),
        '500',
      ];
      for (const status of statuses) {
        operation.responses[status] ??= {
          description: generic[status]!,
          content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } } },
        };
      }
      if (PUBLIC_PATHS.includes(path)) operation.security = [];
    }
  }
}

/** OpenAPI at /docs (UI) and /docs-json; every route needs the bearer scheme unless it says otherwise. */
export function setupOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Volunteer campaigns')
    .setDescription(
      'Event-sourced record of youth-union volunteer work. Every error is application/problem+json ' +
        '(components.schemas.Problem) with a stable `type` URI and `code`.',
    )
    .setVersion('0.1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'bearer')
    .addSecurityRequirements('bearer')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  document.components ??= {};
  document.components.schemas = {
    ...document.components.schemas,
    Problem: PROBLEM_SCHEMA as never,
  };
  addPlatformProblems(document);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
