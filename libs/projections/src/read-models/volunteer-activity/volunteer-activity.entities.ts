import { Column, Entity, PrimaryColumn } from 'typeorm';

// The shape of the volunteer-activity tables. Each slot (projection version, rebuild) has its own
// schema, so the entities name the tables without a schema; the DDL in volunteer-activity.ddl.ts creates
// them and migrations create the first slot. TypeORM never synchronizes them.

@Entity({ name: 'units', synchronize: false })
export class UnitEntity {
  @PrimaryColumn('text', { name: 'unit_id' }) unitId: string;
  @Column('text') name: string;
  @Column('text') kind: string;
  @Column('text', { name: 'parent_id', nullable: true }) parentId: string | null;
  @Column('text', { array: true }) path: string[];
}

@Entity({ name: 'members', synchronize: false })
export class MemberEntity {
  @PrimaryColumn('text', { name: 'member_id' }) memberId: string;
  @Column('text', { name: 'unit_id' }) unitId: string;
  @Column('text', { name: 'display_name', nullable: true }) displayName: string | null;
  @Column('boolean') erased: boolean;
}

@Entity({ name: 'campaigns', synchronize: false })
export class CampaignEntity {
  @PrimaryColumn('text', { name: 'campaign_id' }) campaignId: string;
  @Column('text', { name: 'unit_id' }) unitId: string;
  @Column('text') name: string;
  @Column('text') timezone: string;
  @Column('date', { name: 'start_date' }) startDate: string;
  @Column('date', { name: 'end_date' }) endDate: string;
  @Column('time', { name: 'window_from' }) windowFrom: string;
  @Column('time', { name: 'window_to' }) windowTo: string;
  @Column('jsonb') goals: Record<string, number>;
  @Column('jsonb', { name: 'service_types', nullable: true }) serviceTypes: string[] | null;
  @Column('boolean') closed: boolean;
  @Column('bigint') version: string;
}

@Entity({ name: 'shifts', synchronize: false })
export class ShiftEntity {
  @PrimaryColumn('text', { name: 'shift_id' }) shiftId: string;
  @Column('text', { name: 'member_id', nullable: true }) memberId: string | null;
  @Column('text', { name: 'campaign_id', nullable: true }) campaignId: string | null;
  @Column('text', { nullable: true }) location: string | null;
  @Column('timestamptz', { name: 'started_at', nullable: true }) startedAt: Date | null;
  @Column('timestamptz', { name: 'ended_at', nullable: true }) endedAt: Date | null;
  @Column('text') status: string;
  @Column('int', { default: 0 }) citizens: number;
  @Column('bigint') version: string;
}

/** Keyless in the table (the shift row's stream version guards it); (shift, time, service type) describes a row. */
@Entity({ name: 'assistance', synchronize: false })
export class AssistanceEntity {
  @PrimaryColumn('text', { name: 'shift_id' }) shiftId: string;
  @Column('text', { name: 'campaign_id', nullable: true }) campaignId: string | null;
  @PrimaryColumn('text', { name: 'service_type' }) serviceType: string;
  @Column('int') citizens: number;
  @PrimaryColumn('timestamptz', { name: 'occurred_at' }) occurredAt: Date;
}

@Entity({ name: 'clubs', synchronize: false })
export class ClubEntity {
  @PrimaryColumn('text', { name: 'club_id' }) clubId: string;
  @Column('text', { name: 'unit_id' }) unitId: string;
  @Column('text') name: string;
  @Column('timestamptz', { name: 'founded_at' }) foundedAt: Date;
}

@Entity({ name: 'posts', synchronize: false })
export class PostEntity {
  @PrimaryColumn('text', { name: 'post_id' }) postId: string;
  @Column('text', { name: 'unit_id' }) unitId: string;
  @Column('text') channel: string;
  @Column('jsonb') tags: string[];
  @Column('timestamptz', { name: 'published_at' }) publishedAt: Date;
}

export const volunteerActivityEntities = [
  UnitEntity,
  MemberEntity,
  CampaignEntity,
  ShiftEntity,
  AssistanceEntity,
  ClubEntity,
  PostEntity,
];
