import { Column, Entity, PrimaryColumn } from 'typeorm';

// Shapes of the programmes-skills tables (created per slot by programmes-skills.ddl.ts; never
// synchronized), for the CLI's read side and whoever reads them through TypeORM.

@Entity({ name: 'ps_units', synchronize: false })
export class PsUnitEntity {
  @PrimaryColumn('text', { name: 'unit_id' }) unitId: string;
  @Column('text', { name: 'parent_id', nullable: true }) parentId: string | null;
  @Column('text', { array: true }) path: string[];
}

@Entity({ name: 'ps_members', synchronize: false })
export class PsMemberEntity {
  @PrimaryColumn('text', { name: 'member_id' }) memberId: string;
  @Column('text', { name: 'unit_id' }) unitId: string;
  @Column('boolean') erased: boolean;
}

@Entity({ name: 'ps_member_skills', synchronize: false })
export class PsMemberSkillEntity {
  @PrimaryColumn('text', { name: 'member_id' }) memberId: string;
  @PrimaryColumn('text') skill: string;
  @Column('timestamptz', { name: 'attained_at' }) attainedAt: Date;
}

@Entity({ name: 'ps_programmes', synchronize: false })
export class PsProgrammeEntity {
  @PrimaryColumn('text', { name: 'programme_id' }) programmeId: string;
  @Column('text', { name: 'unit_id' }) unitId: string;
  @Column('text') kind: string;
  @Column('text') title: string;
  @Column('text', { nullable: true }) topic: string | null;
  @Column('timestamptz', { name: 'starts_at' }) startsAt: Date;
  /** The latest head count (a later count replaces the earlier one). */
  @Column('int') members: number;
  @Column('int') citizens: number;
  @Column('bigint', { name: 'stream_version' }) streamVersion: string;
}

/** Counters per unit (not per subtree): current members, programmes, their attendees. */
@Entity({ name: 'ps_unit_counts', synchronize: false })
export class PsUnitCountsEntity {
  @PrimaryColumn('text', { name: 'unit_id' }) unitId: string;
  @Column('int') members: number;
  @Column('int') programmes: number;
  @Column('bigint', { name: 'attendee_members' }) attendeeMembers: string;
  @Column('bigint', { name: 'attendee_citizens' }) attendeeCitizens: string;
}

/** Current (non-erased) members of a unit with a skill. */
@Entity({ name: 'ps_unit_skill_counts', synchronize: false })
export class PsUnitSkillCountsEntity {
  @PrimaryColumn('text', { name: 'unit_id' }) unitId: string;
  @PrimaryColumn('text') skill: string;
  @Column('int') members: number;
}

export const programmesSkillsEntities = [
  PsUnitEntity,
  PsMemberEntity,
  PsMemberSkillEntity,
  PsProgrammeEntity,
  PsUnitCountsEntity,
  PsUnitSkillCountsEntity,
];
