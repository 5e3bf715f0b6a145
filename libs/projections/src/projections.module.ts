import { Module } from '@nestjs/common';

/** Runs the projections (worker side). Filled by the projections work. */
@Module({})
export class ProjectionsWorkerModule {}
