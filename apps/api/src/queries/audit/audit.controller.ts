import { Controller, Get, Headers, Inject, Param, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { eventSchemaVersions } from '#domain';
import type { EventStore, RecordedEvent } from '#event-store';
import {
  APP_CONFIG,
  EVENT_STORE,
  PersonalDataVault,
  Roles,
  notFound,
  type AppConfig,
} from '#platform';
import { auditHoursCsv, auditMemberHours, flagOverdue, openNames, READS } from '#projections';
import { FromLogQuery, PeriodQuery, resolvePeriod } from '../shared/query-params.js';
import { ReadModels } from '../shared/read-models.service.js';
import { AUDIT_HOURS, AUDIT_STREAM, STREAM_VERIFICATION } from '../shared/read-schemas.js';
import { acceptsCsvFirst } from './accept-csv.js';

/** The auditor's reads (auditors and operators only). */
@ApiTags('audit')
@Roles('auditor', 'operator')
@Controller('audit')
export class AuditController {
  constructor(
    private readonly readModels: ReadModels,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly vault: PersonalDataVault,
  ) {}

  @Get('members/:id/hours')
  @ApiOkResponse({
    // one schema per type: given to both (ApiProduces), the CSV was documented as the JSON object
    content: {
      'application/json': { schema: AUDIT_HOURS },
      'text/csv': { schema: { type: 'string', description: 'UTF-8 with a byte-order mark' } },
    },
  })
  @ApiOperation({
    summary:
      "A member's shifts with who recorded, corrected and verified them; JSON or CSV (Accept: text/csv; UTF-8 with a byte-order mark, times in UTC)",
  })
  async memberHours(
    @Param('id') memberId: string,
    @Query() q: PeriodQuery,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true })
    response: { type(value: string): unknown; setHeader(name: string, value: string): unknown },
  ) {
    const period = resolvePeriod(q);
    // Shared between callers at a checkpoint; whether an open shift is overdue moves with the clock,
    // so it is flagged per request (at the snapshot's moment, for a snapshot).
    const {
      value: stored,
      stamp,
      clock: now,
    } = await this.readModels.read(
      READS.auditTrail,
      q,
      ['hours', memberId, period.from, period.to],
      (sql, schema) => auditMemberHours(sql, schema, { memberId, ...period }),
    );
    if (!stored) throw notFound(`member ${memberId} is unknown (or not projected yet)`);
    const flagged = flagOverdue(stored, { now, maxShiftHours: this.config.maxShiftHours });
    const [report] = await openNames([flagged], this.vault);
    if (acceptsCsvFirst(accept)) {
      response.type('text/csv; charset=utf-8');
      response.setHeader(
        'content-disposition',
        `attachment; filename="hours-${memberId.replace(/[^\w.-]/g, '_')}.csv"`,
      );
      return auditHoursCsv(report!);
    }
    return { ...report, ...stamp };
  }

  @Get('streams/:streamId')
  @ApiOkResponse({ schema: AUDIT_STREAM })
  @ApiOperation({ summary: "A stream's events with their envelopes and hashes" })
  async stream(@Param('streamId') streamId: string, @Query() _query: FromLogQuery) {
    const events = await this.store.readStream(streamId);
    if (!events.length) throw notFound(`stream ${streamId} has no events`);
    return { streamId, events: events.map(envelope) };
  }

  @Get('streams/:streamId/verify')
  @ApiOkResponse({ schema: STREAM_VERIFICATION })
  @ApiOperation({ summary: "Recomputes the stream's hash chain" })
  async verify(@Param('streamId') streamId: string, @Query() _query: FromLogQuery) {
    const result = await this.store.verifyStream(streamId);
    if (result.events === 0) throw notFound(`stream ${streamId} has no events`);
    return {
      streamId: result.streamId,
      valid: result.valid,
      events: result.events,
      headHash: result.headHash,
      ...(result.firstInvalidVersion !== undefined
        ? { firstInvalidVersion: Number(result.firstInvalidVersion) }
        : {}),
    };
  }
}

/**
 * An event as stored, never upcast: the hashes cover exactly these fields, so an auditor can recompute
 * them. `schemaVersion` is the stored one; `currentSchemaVersion` the version this server reads the
 * type in (projections, folds and Kafka see `data` upcast to it), absent for a type it does not know.
 */
export function envelope(event: RecordedEvent) {
  const current = (eventSchemaVersions as Readonly<Record<string, number>>)[event.type];
  return {
    eventId: event.eventId,
    type: event.type,
    schemaVersion: event.schemaVersion,
    ...(current !== undefined ? { currentSchemaVersion: current } : {}),
    streamId: event.streamId,
    streamVersion: Number(event.streamVersion),
    globalPosition: Number(event.globalPosition),
    data: event.data,
    metadata: event.metadata,
    previousHash: event.previousHash,
    hash: event.hash,
  };
}
