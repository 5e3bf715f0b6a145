import cluster from 'node:cluster';
import { once, type EventEmitter } from 'node:events';
import type { Readable } from 'node:stream';
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
  if (settings.format === 'json') return pino(options, destination ?? standardOutput('json'));
  // A child of API_PROCESSES writes to a pipe of its supervisor's (forwardLines), which says whether
  // its own output is a terminal.
  const terminal =
    destination === undefined &&
    (process.stdout.isTTY === true || (cluster.isWorker && process.env[TERMINAL] === 'true'));
  return pino(
    options,
    pretty({
      destination: destination ?? standardOutput('pretty'),
      colorize: terminal,
      translateTime: 'SYS:HH:MM:ss.l',
      ignore: 'context',
      messageFormat: '{if context}[{context}] {end}{msg}',
    }),
  );
}

/** Set by the supervisor of API_PROCESSES for its children: `true` when its output is a terminal. */
export const TERMINAL = 'API_OUTPUT_IS_TERMINAL';

const outputs = new Map<LogFormat, DestinationStream>();

/**
 * The process's one writer of its standard output, for its logger and for the lines it forwards
 * (forwardLines): two writers of one descriptor could cut into each other's lines. JSON is written
 * behind the request (sync: false): a synchronous write per line cost the API a system call per
 * request on its main thread (CPU profile, issue 10); lines written while one write is under way go
 * out together, and pino flushes what is left when the process exits. `pretty` is for a person at a
 * terminal and is written at once.
 */
function standardOutput(format: LogFormat): DestinationStream {
  let output = outputs.get(format);
  if (!output)
    outputs.set(format, (output = pino.destination({ dest: 1, sync: format === 'pretty' })));
  return output;
}

/**
 * Resolves once what the logger has yet to write to the standard output is written: call it before
 * `process.exit`. pino's own flush at exit writes what waits while a write is still under way (one a
 * full pipe took only part of), so with a collector behind, the last lines came out cut and mixed.
 */
export async function drainOutput(): Promise<void> {
  // sonic-boom says how much it holds only in `_len`, and 'drain' once it has written all of it; an
  // error (the collector gone) ends the wait too, as there is nothing more to wait for
  const json = outputs.get('json') as
    (DestinationStream & EventEmitter & { _len?: number }) | undefined;
  if (json && (json._len ?? 0) > 0) await once(json, 'drain').catch(() => undefined);
}

/**
 * Copies what another process writes (`source`, its standard output or error piped to this one) to
 * this process's, whole lines only, and resolves once it has all been copied. Under API_PROCESSES the
 * children wrote to the one output they shared: a write to a pipe (what a container runtime or
 * journald reads) is whole only up to 4 KiB, and a batch of lines that found the pipe nearly full went
 * out in parts, between which the other process wrote its own: a collector behind by a moment read
 * torn lines that were JSON of neither. Their supervisor is now the output's only writer.
 */
export function forwardLines(
  source: Readable,
  target: 'stdout' | 'stderr',
  format: LogFormat,
): Promise<void> {
  const write = (text: string) =>
    target === 'stdout' ? standardOutput(format).write(text) : process.stderr.write(text);
  let rest = '';
  source.setEncoding('utf8');
  source.on('data', (chunk: string) => {
    const end = chunk.lastIndexOf('\n');
    if (end < 0) {
      rest += chunk;
      return;
    }
    write(rest + chunk.slice(0, end + 1));
    rest = chunk.slice(end + 1);
  });
  return new Promise<void>((done) => {
    source.once('close', () => {
      // a process killed in the middle of a line: what it wrote, ended, rather than nothing
      if (rest) write(`${rest}\n`);
      done();
    });
  });
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
