import { createHmac } from 'node:crypto';
import type { Duplex } from 'node:stream';
import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import {
  answerClientError,
  countParserRefusal,
  createLogger,
  createValidationPipe,
  derivedKey,
  NestLogger,
  requestLog,
  type Logger,
  httpMetricsMiddleware,
  initMetrics,
  loadConfig,
  exitForRestart,
  openDatabase,
  problemErrorMiddleware,
  type AppConfig,
} from '#platform';
import { AppModule } from './app.module.js';
import { ProblemFilter } from '#platform';
import { ExpressServerAdapter } from './platform/express-server.adapter.js';
import { declaredLengthLimit } from './platform/declared-length.middleware.js';
import { jsonOnly } from './platform/json-only.middleware.js';
import { refuseMalformedQuery } from './platform/utf8-query.middleware.js';
import { securityHeaders } from './platform/security-headers.middleware.js';
import { refuseDuplicateNames } from './platform/unique-json-names.js';
import { refuseMalformedUtf8 } from './platform/utf8-body.js';
import { limitConnections } from './platform/connection-limits.js';
import { setupOpenApi } from './platform/openapi.js';

export type CreateAppOptions = Partial<AppConfig> &
  Readonly<{
    /** Environment variables to read (API.md "Configuration"); explicit options win. Default: none. */
    env?: Readonly<Record<string, string | undefined>>;
    /** Run projections (and the relay when kafkaBrokers is set) in the same process. Default true. */
    worker?: boolean;
    /** The process's logger; default: one from the configuration (LOG_LEVEL, LOG_FORMAT). */
    log?: Logger;
    /** Extra modules mounted beside the application's own (tests add probe routes this way). */
    imports?: readonly (Type | DynamicModule)[];
  }>;

const JSON_TYPES = ['application/json', 'application/*+json'];

/** Security headers, a log line per request, body limit, JSON only, problem+json (for what Node's parser refuses too), validation, metrics and /docs. */
export function configureApp(app: NestExpressApplication, config: AppConfig, log: Logger): void {
  // Which framework answers is nobody's business but an attacker's (OWASP's HTTP headers cheat sheet).
  app.disable('x-powered-by');
  // Express tags an answer with a SHA-1 of its body, unkeyed: for one holding a member's name, a
  // hash that whoever logged the header (a proxy, an APM) could match guessed names against, also
  // after the name's erasure. Keyed with a secret outside the database it still tells a browser
  // whether the dashboard page changed, and nothing else.
  const etagKey = derivedKey(config.jwtSecret, 'etag');
  app.set('etag', (body: Buffer | string, encoding?: BufferEncoding) => {
    const bytes = typeof body === 'string' ? Buffer.from(body, encoding) : body;
    return `W/"${createHmac('sha256', etagKey).update(bytes).digest('base64url').slice(0, 27)}"`;
  });
  app.use(securityHeaders);
  limitConnections(app.getHttpServer(), config, log);
  app.getHttpServer().on('clientError', (error: Error, socket: Duplex) => {
    const refused = answerClientError(error, socket);
    if (!refused) return;
    countParserRefusal(refused.status);
    // no path: the request line was not parsed, and its query may carry a token
    log.warn(refused, `request refused by the HTTP parser: ${refused.status}`);
  });
  app.use(requestLog(log));
  app.use(httpMetricsMiddleware);
  app.use(refuseMalformedQuery);
  app.use(jsonOnly);
  app.use(declaredLengthLimit(config.bodyLimit));
  // Not strict: the parser judges only whether the body is JSON; whether it is the object a route
  // takes is the validation pipe's to say, once for null, strings, numbers and arrays alike.
  app.useBodyParser('json', {
    limit: config.bodyLimit,
    type: JSON_TYPES,
    strict: false,
    // the bytes as sent, before the parser reads them: UTF-8 that is, and no name given twice
    verify: (request: unknown, response: unknown, body: Buffer, encoding: string | null) => {
      refuseMalformedUtf8(request, response, body, encoding);
      refuseDuplicateNames(request, response, body, encoding);
    },
  });
  app.use(problemErrorMiddleware); // renders the body parser's own errors (413, malformed JSON)
  app.useGlobalFilters(new ProblemFilter());
  app.useGlobalPipes(createValidationPipe());
  setupOpenApi(app);
}

/**
 * Builds and initialises the whole application (tests of every part use it): configuration, the
 * database (DATABASE_URL, or an embedded PostgreSQL that closing the app stops), the modules. The
 * caller decides whether to `listen()`.
 */
export async function createApp(options: CreateAppOptions = {}): Promise<INestApplication> {
  const { env = {}, worker = true, log: given, imports, ...overrides } = options;
  const config = loadConfig(env, overrides);
  const log = given ?? createLogger({ level: config.logLevel, format: config.logFormat });
  initMetrics();
  const database = await openDatabase(config, (line) => log.info({ context: 'Postgres' }, line), {
    keepRunning: { onLost: (why) => exitForRestart(log, why) },
  });
  let app: NestExpressApplication | undefined;
  try {
    app = await NestFactory.create<NestExpressApplication>(
      // PostgreSQL must outlive every module's shutdown hook, so the platform stops it last.
      AppModule.forRoot({
        config,
        databaseUrl: database.url,
        worker,
        imports,
        onClosed: database.embedded ? database.stop : undefined,
      }),
      new ExpressServerAdapter(),
      { bodyParser: false, logger: new NestLogger(log), abortOnError: false },
    );
    configureApp(app, config, log);
    await app.init();
  } catch (error) {
    await app?.close().catch(() => {});
    await database.stop();
    throw error;
  }
  return app;
}
