import { Column, Entity, PrimaryColumn } from 'typeorm';

// Shape of the runner's bookkeeping tables (created by the read-model migration; never synchronized).

@Entity({ name: 'projection_checkpoints', synchronize: false })
export class ProjectionCheckpointEntity {
  @PrimaryColumn('text') projection: string;
  @PrimaryColumn('int') version: number;
  @PrimaryColumn('int') generation: number;
  @Column('text', { name: 'schema_name', unique: true }) schemaName: string;
  @Column('text') state: 'building' | 'live' | 'retired';
  @Column('bigint') position: string;
  @Column('bigint', { name: 'stop_position', nullable: true }) stopPosition: string | null;
  @Column('timestamptz', { name: 'stop_time', nullable: true }) stopTime: Date | null;
  @Column('text', { name: 'job_id', nullable: true }) jobId: string | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}

@Entity({ name: 'projection_jobs', synchronize: false })
export class ProjectionJobEntity {
  @PrimaryColumn('text') id: string;
  @Column('text', { nullable: true }) projection: string | null;
  @Column('bigint', { name: 'to_position', nullable: true }) toPosition: string | null;
  @Column('timestamptz', { name: 'to_time', nullable: true }) toTime: Date | null;
  @Column('text') state: 'running' | 'done' | 'failed';
  @Column('bigint') processed: string;
  @Column('bigint') total: string;
  @Column('text', { nullable: true }) error: string | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'finished_at', nullable: true }) finishedAt: Date | null;
}
