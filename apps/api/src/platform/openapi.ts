import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { PROBLEM_SCHEMA } from '#platform';

/** OpenAPI at /docs (UI) and /docs-json; every route needs the bearer scheme unless it says otherwise. */
export function setupOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Volunteer campaigns')
    .setDescription('Event-sourced record of youth-union volunteer work. Errors are application/problem+json (components.schemas.Problem).')
    .setVersion('0.1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'bearer')
    .addSecurityRequirements('bearer')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  document.components ??= {};
  document.components.schemas = { ...document.components.schemas, Problem: PROBLEM_SCHEMA as never };
  for (const path of ['/health', '/metrics']) {
    const get = document.paths[path]?.get;
    if (get) get.security = [];
  }
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
