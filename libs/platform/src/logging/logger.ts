import cluster from 'node:cluster';
import type { LoggerService } from '@nestjs/common';
import { pino, type DestinationStream, type Logger, type LevelWithSilent } from 'pino';
import pretty from 'pino-pretty';

export type { Logger } from 'pino';

export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof logLevels)[number];
export type LogFormat = 'json' | 'pretty';
/** `pid`: several processes write to one output (API_PROCESSES); the children say so themselves. */
export type LogSettings = Readonly<{ level: LogLevel; format: LogFormat; pid?: boolean }>;

/**
 * The process's one logger (pino). JSON lines for collectors, or `pretty` for a person at a
 * terminal; colour only when the output is a terminal, so that a file never holds escape codes.
 * `destination` lets a test read what was written. A process among several API processes
 * (API_PROCESSES), their supervisor included, says which it is (`pid`); a lone process has no need to.
 */
export function createLogger(settings: LogSettings, destination?: DestinationStream): Logger {
  const base = cluster.isWorker || settings.pid ? { pid: process.pid } : undefined;
  const options = { level: settings.level as LevelWithSilent, base };
  // Written behind the request (sync: false): a synchronous write per line cost the API a system call
  // per request on its main thread (CPU profile, issue 10). Lines written while one write is under way
  // go out together; pino flushes what is left when the process exits.
  if (settings.format === 'json')
    return pino(options, destination ?? pino.destination({ dest: 1, sync: false }));
  const terminal = destination === undefined && process.stdout.isTTY === true;
  return pino(
    options,
    pretty({
      destination: destination ?? 1,
      colorize: terminal,
      sync: true,
      translateTime: 'SYS:HH:MM:ss.l',
      ignore: 'context',
      messageFormat: '{if context}[{context}] {end}{msg}',
    }),
  );
}

/**
 * Nest's own start-up chatter (every module loaded, every route mapped: ~60 lines) says nothing an
 * operator acts on; it goes to `debug`.
 */
const FRAMEWORK_CONTEXTS = new Set([
  'NestFactory',
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'NestApplication',
]);

/** Nest's LoggerService on the pino logger: `Logger` calls in modules become structured lines. */
export class NestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string): void {
    if (context && FRAMEWORK_CONTEXTS.has(context)) this.logger.debug({ context }, String(message));
    else this.logger.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.logger.error({ context, stack: trace }, String(message));
  }
  warn(message: unknown, context?: string): void {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string): void {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string): void {
    this.logger.trace({ context }, String(message));
  }
  fatal(message: unknown, context?: string): void {
    this.logger.fatal({ context }, String(message));
  }
}
