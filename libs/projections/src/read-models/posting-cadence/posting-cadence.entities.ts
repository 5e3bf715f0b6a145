import { Column, Entity, PrimaryColumn } from 'typeorm';

// local_date and week_start are generated columns (Asia/Ho_Chi_Minh day and ISO week of published_at).
// Shape of the posting-cadence table (created per slot by posting-cadence.projection.ts; never synchronized).
@Entity({ name: 'cadence_posts', synchronize: false })
export class CadencePostEntity {
  @PrimaryColumn('text', { name: 'post_id' }) postId: string;
  @Column('text', { name: 'unit_id' }) unitId: string;
  @Column('text') channel: string;
  @Column('timestamptz', { name: 'published_at' }) publishedAt: Date;
  @Column('boolean', { name: 'good_news' }) goodNews: boolean;
  @Column('boolean', { name: 'beautiful_story' }) beautifulStory: boolean;
  @Column({ type: 'date', name: 'local_date', insert: false, update: false }) localDate: string;
  @Column({ type: 'date', name: 'week_start', insert: false, update: false }) weekStart: string;
}
