import { createHash } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { dump } from 'js-yaml';
import { problemResponse, PROBLEM_SCHEMA, QUERY_TOKEN_SCHEME } from '#platform';

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

type Operation = NonNullable<OpenAPIObject['paths'][string]['get']> & {
  'x-roles'?: string[];
  'x-access'?: string;
  /** `@Public()`: API.md leaves /health, /docs (not in the document) and the dashboard page open. */
  'x-public'?: boolean;
};

/**
 * What every route can answer whatever its controller declares (auth, body parsing, validation,
 * the database being away; API.md's refusals of its parameters, below), and who may call it: `x-roles` comes from `@Roles`, `x-access` from a
 * command's own rule (`ApiCommand`); a route with neither takes any valid token.
 */
function completeOperations(document: OpenAPIObject): void {
  for (const item of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method] as Operation | undefined;
      if (!operation) continue;
      const isPublic = operation['x-public'] === true;
      delete operation['x-public'];
      // a DELETE may take a body too (a citizen's erasure, a member's with its commandId)
      const hasBody =
        method === 'post' || method === 'put' || method === 'patch' || !!operation.requestBody;
      const statuses = [
        ...(isPublic ? [] : [401, 403]),
        ...(hasBody ? [400, 413, 415] : []),
        // the open routes check no parameter (the dashboard's campaign is read by the page's script)
        ...(isPublic ? [] : parameterRefusals(operation)),
        500,
        ...(isPublic ? [] : [503]),
      ];
      for (const status of statuses) operation.responses[status] ??= problemResponse(status);
      if (hasBody) optionalWhenNothingRequired(document, operation);
      if (isPublic) operation.security = [];
      const who = isPublic
        ? 'anyone, no token'
        : (operation['x-access'] ??
          (operation['x-roles']
            ? operation['x-roles'].join(', ')
            : 'any valid token (every role)'));
      operation.description = `${operation.description ? `${operation.description}\n\n` : ''}**Who may call:** ${who}.`;
    }
  }
}

/**
 * A body none of whose fields is required may be left out (API.md: `—` for close and verify, "all
 * projections when none is named" for a rebuild): Nest marks every body required, and a client
 * generated from /docs had to send `{}`.
 */
function optionalWhenNothingRequired(document: OpenAPIObject, operation: Operation): void {
  const body = operation.requestBody;
  if (!body || '$ref' in body) return;
  const schema = body.content['application/json']?.schema;
  const name = schema && '$ref' in schema ? schema.$ref.split('/').pop() : undefined;
  const target = name ? document.components?.schemas?.[name] : schema;
  if (target && !('$ref' in target) && !target.required?.length) body.required = false;
}

/**
 * API.md's refusals of a route's parameters: 404 for an unknown id in the path; on a read, 400 for a
 * query that is not valid, 504 when `minPosition` is not reached in time, 404 for an unknown `snapshot`
 * and 409 while it builds. (`access_token` of the live stream is a token: refused with 401.)
 */
function parameterRefusals(operation: Operation): number[] {
  const named = (operation.parameters ?? []).flatMap((p) => ('in' in p ? [p] : []));
  const query = named.filter((p) => p.in === 'query' && p.name !== 'access_token');
  const takes = (name: string) => query.some((p) => p.name === name);
  return [
    ...(query.length ? [400] : []),
    ...(named.some((p) => p.in === 'path') || takes('snapshot') ? [404] : []),
    ...(takes('snapshot') ? [409] : []),
    ...(takes('minPosition') ? [504] : []),
  ];
}

/**
 * The server refuses a body field it does not know (the validation pipe's forbidNonWhitelisted: 400
 * naming it), so every object of a request body says `additionalProperties: false`: /docs left them
 * open, and a client generated from it could send extra fields it took for harmless.
 */
function closeRequestBodies(document: OpenAPIObject): void {
  const schemas = document.components?.schemas ?? {};
  const seen = new Set<object>();
  const close = (schema: unknown): void => {
    if (!schema || typeof schema !== 'object' || seen.has(schema)) return;
    seen.add(schema);
    const s = schema as {
      $ref?: string;
      properties?: Record<string, unknown>;
      items?: unknown;
      additionalProperties?: unknown;
    };
    if (s.$ref) return close(schemas[s.$ref.split('/').pop()!]);
    if (s.properties) {
      s.additionalProperties ??= false;
      Object.values(s.properties).forEach(close);
    }
    close(s.items);
  };
  for (const item of Object.values(document.paths))
    for (const method of METHODS) {
      const body = item[method]?.requestBody;
      if (body && !('$ref' in body)) close(body.content['application/json']?.schema);
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
    .addApiKey(
      {
        type: 'apiKey',
        in: 'query',
        name: 'access_token',
        description: 'the bearer token in the URL, for EventSource (the live stream only)',
      },
      QUERY_TOKEN_SCHEME,
    )
    .build();
  const document = SwaggerModule.createDocument(app, config);
  document.components ??= {};
  document.components.schemas = {
    ...document.components.schemas,
    Problem: PROBLEM_SCHEMA as never,
  };
  completeOperations(document);
  closeRequestBodies(document);
  // The document as JSON and YAML, written once, with its ETag. The module's own routes wrote it
  // again for every request, and Express hashed the 230 KB for an ETag each time; they need no token:
  // 32 clients asking for /docs-yaml (300 ms of the event loop each) left every other request waiting,
  // a dashboard's read 1.7 s instead of 0.4 ms (bench/RESULTS.md, "Public routes under a flood").
  const http = app.getHttpAdapter();
  const serve = (path: string, type: string, write: () => string) => {
    let made: { body: Buffer; etag: string } | undefined;
    http.get(path, (_request: unknown, response: RawResponse) => {
      made ??= fixedBody(write());
      response.setHeader('ETag', made.etag);
      response.type(type).send(made.body);
    });
  };
  serve('/docs-json', 'application/json', () => JSON.stringify(document));
  serve('/docs-yaml', 'text/yaml', () => dump(document, { skipInvalid: true, noRefs: true }));
  SwaggerModule.setup('docs', app, document, { raw: false });
}

/** A body made once, and its strong ETag: Express answers 304 to a client that has it already. */
function fixedBody(text: string): { body: Buffer; etag: string } {
  const body = Buffer.from(text);
  return { body, etag: `"${createHash('sha256').update(body).digest('base64url')}"` };
}

/** The Express response, as far as a raw document's route uses it. */
type RawResponse = {
  setHeader(name: string, value: string): unknown;
  type(type: string): { send(body: Buffer): unknown };
};
