import { Module } from '@nestjs/common';

/** The Kafka relay (worker side). Filled by the messaging work. */
@Module({})
export class RelayModule {}
