import { CommandBus } from '@nestjs/cqrs';
import { NestFactory } from '@nestjs/core';
import { Module, type DynamicModule } from '@nestjs/common';
import { CLOCK, CommandsModule, seedCardDrive2025, type ControllableClock } from '#commands';
import type { EventStore } from '#event-store';
import {
  cliDatabaseLog,
  EVENT_STORE,
  loadConfig,
  openDatabase,
  PlatformModule,
  type AppConfig,
} from '#platform';
import { parseCommand } from '../cli-args.js';

const scenarios = { 'card-drive-2025': seedCardDrive2025 } as const;
export const usage = `usage: seed <scenario>                 (scenarios: ${Object.keys(scenarios).join(', ')})
       seed synthetic --events N [--seed S] [--resume]

  A scenario goes through the command path (the same rules, authorization and idempotency as HTTP);
  seeding it again records nothing new. 'synthetic' writes a generated history straight through the
  event store (see seed synthetic --help).`;

/** The command side on the platform, without HTTP: what the seed sends its commands through. */
@Module({})
class SeedModule {
  static forRoot(config: AppConfig, databaseUrl: string): DynamicModule {
    return {
      module: SeedModule,
      imports: [PlatformModule.forRoot({ config, databaseUrl }), CommandsModule],
    };
  }
}

/**
 * Loads a demo scenario through the command path: the same CommandBus, rules, authorization and
 * idempotency as HTTP, in a Nest application context on the configured database. The scenario pins
 * the command side's clock so that late recordings carry a `recordedAt` days after the fact.
 */
export async function run(args: string[]): Promise<number> {
  if (args[0] === 'synthetic')
    return (await import('./seed-synthetic.command.js')).run(args.slice(1));
  const parsed = parseCommand('seed', usage, args, {}, ({ positionals }) =>
    positionals.length !== 1
      ? 'name one scenario'
      : positionals[0]! in scenarios
        ? undefined
        : `unknown scenario ${positionals[0]}`,
  );
  if (typeof parsed === 'number') return parsed;
  const scenario = scenarios[parsed.positionals[0] as keyof typeof scenarios];
  const config = loadConfig(process.env); // a ConfigError exits 2 with its message (main.ts)
  const database = await openDatabase(config, cliDatabaseLog);
  try {
    const app = await NestFactory.createApplicationContext(
      SeedModule.forRoot(config, database.url),
      { logger: ['error', 'warn'] },
    );
    try {
      // A scenario resent to a log that holds it is answered command by command from the log
      // (idempotency) and records nothing: said so, rather than its counts as if just recorded. A
      // command recorded now lands past the head read before (positions only grow), one answered
      // from the log at or before it.
      const store = app.get<EventStore>(EVENT_STORE, { strict: false });
      const headBefore = await store.headPosition();
      const started = Date.now();
      const stats = await scenario(
        app.get(CommandBus, { strict: false }),
        app.get<ControllableClock>(CLOCK, { strict: false }),
        (line) => process.stdout.write(`${line}\n`),
      );
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      process.stdout.write(
        BigInt(stats.lastPosition) <= headBefore
          ? `seed ${args[0]}: already in this log: its ${stats.commands} commands were answered from the log, nothing new recorded (in ${seconds} s)\n`
          : `seed ${args[0]}: ${stats.commands} commands (${stats.shifts} turns, ${stats.citizens} citizens, ` +
              `${stats.late} recorded late, ${stats.outOfWindow} out of window, ${stats.rejected} rejected) in ${seconds} s\n`,
      );
      return 0;
    } finally {
      await app.close();
    }
  } finally {
    await database.stop();
  }
}
