import { requireInstant } from '#domain';
import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Logger,
  Param,
  Post,
  Query,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { EventStore } from '#event-store';
import {
  APP_CONFIG,
  ApiProblems,
  conflict,
  EVENT_STORE,
  notFound,
  Roles,
  validationFailed,
  type AppConfig,
} from '#platform';
import {
  deleteSnapshot,
  InvalidSnapshotRequest,
  listSnapshots,
  projections,
  SnapshotConflict,
  SnapshotLimitReached,
  startSnapshot,
} from '#projections';
import { ServerStateQuery } from '../shared/query-params.js';
import { ReadModels } from '../shared/read-models.service.js';
import { SnapshotRequest } from './rebuild.request.js';
import { SNAPSHOT_LIST, SNAPSHOT_STARTED } from './admin-schemas.js';

/**
 * Starts a snapshot of every projection (API.md "Snapshots (time travel)"); shared by POST
 * /admin/snapshots and POST /admin/projections/rebuild given a bound. Answers `{ id: <job>, snapshot }`.
 */
export async function buildSnapshot(
  readModels: ReadModels,
  store: EventStore,
  body: SnapshotRequest,
  limit: number,
): Promise<{ id: string; snapshot: string }> {
  try {
    const { jobId, snapshotId } = await startSnapshot(
      readModels.pool,
      store,
      projections,
      {
        id: body.id,
        toPosition: body.toPosition === undefined ? undefined : BigInt(body.toPosition),
        // read by the domain, which the validator already asked: every ISO 8601 spelling it accepts
        toTime:
          body.toTime === undefined ? undefined : new Date(requireInstant(body.toTime, 'toTime')),
      },
      { limit },
    );
    new Logger('Admin').log(
      `snapshot ${snapshotId} (job ${jobId}) started, up to ${body.toTime ?? `position ${body.toPosition}`}`,
    );
    return { id: jobId, snapshot: snapshotId };
  } catch (error) {
    if (error instanceof InvalidSnapshotRequest)
      throw validationFailed([{ field: error.field, message: error.message }]);
    if (error instanceof SnapshotConflict) throw conflict(error.message, 'snapshot_exists');
    if (error instanceof SnapshotLimitReached) throw conflict(error.message, 'snapshot_limit');
    throw error;
  }
}

@ApiTags('admin')
@Roles('operator')
@Controller('admin/snapshots')
export class SnapshotsController {
  constructor(
    private readonly readModels: ReadModels,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({
    summary:
      'Build every projection up to toPosition or toTime (by recordedAt) beside the live read models',
  })
  @ApiAcceptedResponse({
    description: '{ id: <job id>, snapshot: <snapshot id> }; read it with ?snapshot=<id>',
    schema: SNAPSHOT_STARTED,
  })
  @ApiProblems(409) // the id names a snapshot that exists with another bound, or SNAPSHOT_LIMIT are kept
  create(@Body() body: SnapshotRequest) {
    return buildSnapshot(this.readModels, this.store, body, this.config.snapshotLimit);
  }

  @Get()
  @ApiOperation({ summary: 'Every snapshot with its bound and state' })
  @ApiOkResponse({ schema: SNAPSHOT_LIST })
  async list(@Query() _query: ServerStateQuery) {
    const snapshots = await listSnapshots(this.readModels.pool);
    return {
      snapshots: snapshots.map((s) => ({
        id: s.id,
        ...(s.toTime !== null ? { toTime: s.toTime } : { toPosition: Number(s.toPosition) }),
        state: s.state,
        createdAt: s.createdAt,
        jobId: s.jobId,
        position: Number(s.stopPosition),
        ...(s.error ? { error: s.error } : {}),
      })),
    };
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a snapshot (its tables are dropped shortly after)' })
  @ApiNoContentResponse()
  async remove(@Param('id') id: string): Promise<void> {
    if (!(await deleteSnapshot(this.readModels.pool, id)))
      throw notFound(`snapshot ${id} is unknown`, 'snapshot_not_found');
  }
}
