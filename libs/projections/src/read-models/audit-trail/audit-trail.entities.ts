import { Column, Entity, PrimaryColumn } from 'typeorm';

// Shape of the audit-trail tables (created per slot by audit-trail.ddl.ts; never synchronized).

@Entity({ name: 'audit_members', synchronize: false })
export class AuditMemberEntity {
  @PrimaryColumn('text', { name: 'member_id' }) memberId: string;
  @Column('text', { name: 'display_name', nullable: true }) displayName: string | null;
  @Column('boolean') erased: boolean;
}

@Entity({ name: 'audit_shifts', synchronize: false })
export class AuditShiftEntity {
  @PrimaryColumn('text', { name: 'shift_id' }) shiftId: string;
  @Column('text', { name: 'member_id', nullable: true }) memberId: string | null;
  @Column('text', { name: 'campaign_id', nullable: true }) campaignId: string | null;
  @Column('timestamptz', { name: 'started_at', nullable: true }) startedAt: Date | null;
  @Column('timestamptz', { name: 'ended_at', nullable: true }) endedAt: Date | null;
  @Column('text') status: string;
  @Column('text', { name: 'recorded_by', nullable: true }) recordedBy: string | null;
  @Column('timestamptz', { name: 'recorded_at', nullable: true }) recordedAt: Date | null;
  @Column('text', { name: 'verified_by', nullable: true }) verifiedBy: string | null;
  @Column('timestamptz', { name: 'verified_at', nullable: true }) verifiedAt: Date | null;
  @Column('text', { name: 'rejected_by', nullable: true }) rejectedBy: string | null;
  @Column('text', { name: 'rejected_reason', nullable: true }) rejectedReason: string | null;
  @Column('bigint') version: string;
}

/** Every lifecycle event behind a shift (insert-only). */
@Entity({ name: 'audit_events', synchronize: false })
export class AuditEventEntity {
  @PrimaryColumn('text', { name: 'shift_id' }) shiftId: string;
  @PrimaryColumn('bigint') version: string;
  @Column('text') type: string;
  @Column('bigint') position: string;
  @Column('text') hash: string;
  @Column('text', { name: 'recorded_by' }) recordedBy: string;
  @Column('timestamptz', { name: 'recorded_at' }) recordedAt: Date;
}

/** Every correction with the times before and after (insert-only). */
@Entity({ name: 'audit_corrections', synchronize: false })
export class AuditCorrectionEntity {
  @PrimaryColumn('text', { name: 'shift_id' }) shiftId: string;
  @PrimaryColumn('bigint') version: string;
  @Column('text') reason: string;
  @Column('text', { name: 'corrected_by' }) correctedBy: string;
  @Column('timestamptz', { name: 'corrected_at' }) correctedAt: Date;
  @Column('timestamptz', { name: 'before_started_at', nullable: true })
  beforeStartedAt: Date | null;
  @Column('timestamptz', { name: 'before_ended_at', nullable: true }) beforeEndedAt: Date | null;
  @Column('timestamptz', { name: 'after_started_at', nullable: true }) afterStartedAt: Date | null;
  @Column('timestamptz', { name: 'after_ended_at', nullable: true }) afterEndedAt: Date | null;
}

export const auditTrailEntities = [
  AuditMemberEntity,
  AuditShiftEntity,
  AuditEventEntity,
  AuditCorrectionEntity,
];
