import { Module } from '@nestjs/common';

/** Query routes on the read models (filled by the projections work). */
@Module({})
export class QueriesModule {}
