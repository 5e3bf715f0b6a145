import { Module } from '@nestjs/common';

/** Command routes through the CommandBus (filled by the command-side work). */
@Module({})
export class CommandsModule {}
