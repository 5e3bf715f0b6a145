import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Logger,
  Param,
  Post,
  Query,
} from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { EventStore } from '#event-store';
import {
  APP_CONFIG,
  ApiProblems,
  EVENT_STORE,
  notFound,
  Roles,
  validationFailed,
  type AppConfig,
} from '#platform';
import { countEvents, getJob, projections, projectionStatus, startRebuild } from '#projections';
import { ServerStateQuery } from '../shared/query-params.js';
import { ReadModels } from '../shared/read-models.service.js';
import { JOB, JOB_STARTED, PROJECTION_STATUS } from './admin-schemas.js';
import { RebuildRequest } from './rebuild.request.js';
import { buildSnapshot } from './snapshots.controller.js';

const logger = new Logger('Admin');

@ApiTags('admin')
@Roles('operator')
@Controller('admin')
export class AdminController {
  constructor(
    private readonly readModels: ReadModels,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('projections')
  @ApiOperation({
    summary:
      "Each projection's name, version, checkpoint, lag (events) and state, rebuilds included",
  })
  @ApiOkResponse({ schema: PROJECTION_STATUS })
  async projections(@Query() _query: ServerStateQuery) {
    const slots = await projectionStatus(this.readModels.pool, this.store);
    return {
      head: slots[0] ? Number(slots[0].head) : Number(await this.store.headPosition()),
      projections: slots.map((s) => ({
        name: s.name,
        version: s.version,
        generation: s.generation,
        state: s.state,
        checkpoint: Number(s.checkpoint),
        lag: s.lag,
        jobId: s.jobId,
      })),
    };
  }

  @Post('projections/rebuild')
  @HttpCode(202)
  @ApiOperation({
    summary:
      'Rebuild beside the live tables and switch over when caught up; given toPosition or toTime, build a snapshot instead',
  })
  @ApiAcceptedResponse({
    description:
      '{ id } of the job (follow it at GET /admin/jobs/:id); { id, snapshot } for a snapshot',
    schema: JOB_STARTED,
  })
  @ApiProblems(409) // a snapshot beyond SNAPSHOT_LIMIT kept
  async rebuild(@Body() body: RebuildRequest) {
    if (body.toPosition !== undefined || body.toTime !== undefined) {
      // The live read models never move backwards: a bound means a snapshot of every projection.
      if (body.projection !== undefined)
        throw validationFailed([
          {
            field: 'projection',
            message:
              'a snapshot (toPosition or toTime) covers every projection: leave projection out',
          },
        ]);
      return buildSnapshot(
        this.readModels,
        this.store,
        { toPosition: body.toPosition, toTime: body.toTime },
        this.config.snapshotLimit,
      );
    }
    if (body.projection !== undefined && !projections.some((p) => p.name === body.projection)) {
      throw validationFailed([
        {
          field: 'projection',
          message: `projection must be one of ${projections.map((p) => p.name).join(', ')}`,
        },
      ]);
    }
    const id = await startRebuild(
      this.readModels.pool,
      projections,
      { projection: body.projection },
      await countEvents(this.readModels.pool),
    );
    logger.log(`rebuild ${id} started: ${body.projection ?? 'all projections'}`);
    return { id };
  }

  @Get('jobs/:id')
  @ApiOperation({ summary: 'Progress of a rebuild job' })
  @ApiOkResponse({ schema: JOB })
  async job(@Param('id') id: string, @Query() _query: ServerStateQuery) {
    const job = await getJob(this.readModels.pool, id);
    if (!job) throw notFound(`job ${id} is unknown`);
    const { id: jobId, state, processed, total, error } = job;
    return {
      id: jobId,
      state,
      processed,
      total,
      ...(error ? { error } : {}),
      projection: job.projection,
      toPosition: job.toPosition,
      toTime: job.toTime,
    };
  }
}
