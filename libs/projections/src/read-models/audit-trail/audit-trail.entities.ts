import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { AuditCorrection, AuditEventRef } from './audit-shift.fold.js';

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
  @Column('jsonb') corrections: AuditCorrection[];
  @Column('jsonb') events: AuditEventRef[];
  @Column('bigint') version: string;
}

export const auditTrailEntities = [AuditMemberEntity, AuditShiftEntity];
