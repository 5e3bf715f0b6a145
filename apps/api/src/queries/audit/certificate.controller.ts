import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags, OmitType } from '@nestjs/swagger';
import type { EventStore } from '#event-store';
import { CurrentActor, EVENT_STORE, Roles, forbidden, notFound, type Actor } from '#platform';
import {
  AuditLogRunner,
  MIN_POSITION_WAIT_MS,
  NoCheckpointYet,
  ProjectionNotReady,
  READS,
  auditMemberHours,
  issueHoursCertificate,
  reached,
} from '#projections';
import { NoSnapshot, PeriodQuery, resolvePeriod } from '../shared/query-params.js';
import { ReadModels, notReachedInTime } from '../shared/read-models.service.js';
import { HOURS_CERTIFICATE } from '../shared/log-schemas.js';

/**
 * The period and `minPosition` of a read, but no `snapshot`: a certificate proves against the log and
 * its latest signed checkpoint, not a read model, so a snapshot asked for would be ignored and the
 * present certified as the past. It is refused by name (any other unknown parameter is refused too).
 */
class CertificateQuery extends OmitType(PeriodQuery, ['snapshot'] as const) {
  @NoSnapshot('an hours certificate is built from the signed log and its latest checkpoint')
  snapshot?: never;
}

/** A member's hours certificate: the one /audit read a volunteer may make, for themselves only. */
@ApiTags('audit')
@Controller('audit/members')
export class CertificateController {
  constructor(
    private readonly readModels: ReadModels,
    private readonly log: AuditLogRunner,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @Get(':id/certificate')
  @Roles('auditor', 'operator', 'volunteer')
  @ApiOkResponse({ schema: HOURS_CERTIFICATE })
  @ApiOperation({
    summary:
      "A member's hours certificate: every shift's events with inclusion proofs into a signed checkpoint, checkable offline",
  })
  async certificate(
    @Param('id') memberId: string,
    @Query() q: CertificateQuery,
    @CurrentActor() actor: Actor,
  ) {
    if (actor.role === 'volunteer' && actor.sub !== memberId)
      throw forbidden('a volunteer may only ask for their own hours certificate');
    const period = resolvePeriod(q);
    if (q.minPosition !== undefined) await this.signedUpTo(BigInt(q.minPosition));
    // Every shift the audit trail knows for the member: the certificate filters by the period with
    // the shift's own events as of the checkpoint, which may differ from the read model's today.
    const { value: report } = await this.readModels.read(
      READS.auditTrail,
      { minPosition: q.minPosition }, // live only: a certificate proves against the current log
      null,
      (sql, schema) => auditMemberHours(sql, schema, { memberId }),
    );
    if (!report) throw notFound(`member ${memberId} is unknown (or not projected yet)`);
    try {
      return await issueHoursCertificate(this.store, this.log, {
        memberId,
        ...period,
        shiftIds: report.shifts.map((s) => s.shiftId),
      });
    } catch (error) {
      if (error instanceof NoCheckpointYet) throw notFound(error.message, 'no_checkpoint');
      throw error;
    }
  }

  /**
   * `minPosition` met by the signed log, not only by the audit trail: a certificate holds the events
   * under the latest checkpoint, so one issued before a checkpoint covered the client's command left
   * that command out (a shift verified a moment ago certified as pending, 0 verified hours, with 200).
   * The log signs a checkpoint covering it once its tree holds it (signCovering), rather than at its
   * next interval; until then this waits as every read waits for its read model, then 504 (API.md
   * "General").
   */
  private async signedUpTo(minPosition: bigint): Promise<void> {
    try {
      await reached('audit-log', minPosition, MIN_POSITION_WAIT_MS, async () => {
        const position = await this.log.signCovering(minPosition);
        return position === undefined ? undefined : { schema: 'audit_log', position };
      });
    } catch (error) {
      if (error instanceof ProjectionNotReady) throw notReachedInTime(error);
      throw error;
    }
  }
}
