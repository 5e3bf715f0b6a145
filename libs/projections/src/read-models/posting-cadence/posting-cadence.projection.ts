import { isEvent, storedInstant } from '#domain';
import { bulkInsert } from '../../runner/bulk-sql.js';
import { ident, type Projection, type Sql } from '../../runner/projection.js';

/** The zone a post's day and week are read in: posts carry no campaign, so the field's default zone. */
export const CADENCE_TIMEZONE = 'Asia/Ho_Chi_Minh';
export const GOOD_NEWS_TAG = 'good-news';
export const BEAUTIFUL_STORY_TAG = 'beautiful-story';

/**
 * "One good news every day, one beautiful story every week": per unit and channel, each post with its
 * local day and ISO week (Monday), derived by PostgreSQL from the publication instant.
 */
export const postingCadenceProjection: Projection = {
  name: 'posting-cadence',
  version: 1,
  handles: new Set(['PostPublished']),
  tables: ['cadence_posts'],
  async createTables(sql: Sql, schema: string) {
    const s = ident(schema);
    await sql.query(`
      CREATE TABLE ${s}.cadence_posts (
        post_id text PRIMARY KEY, unit_id text NOT NULL, channel text NOT NULL, published_at timestamptz NOT NULL,
        good_news boolean NOT NULL, beautiful_story boolean NOT NULL,
        local_date date GENERATED ALWAYS AS ((published_at AT TIME ZONE '${CADENCE_TIMEZONE}')::date) STORED,
        week_start date GENERATED ALWAYS AS (date_trunc('week', published_at AT TIME ZONE '${CADENCE_TIMEZONE}')::date) STORED);
    `);
  },
  async createIndexes(sql: Sql, schema: string) {
    await sql.query(
      `CREATE INDEX ON ${ident(schema)}.cadence_posts (unit_id, channel, local_date)`,
    );
  },
  async apply(batch, tx) {
    await bulkInsert(tx.sql, {
      table: `${ident(tx.schema)}.cadence_posts`,
      columns: {
        post_id: 'text',
        unit_id: 'text',
        channel: 'text',
        published_at: 'timestamptz',
        good_news: 'boolean',
        beautiful_story: 'boolean',
      },
      rows: batch
        .filter((e) => isEvent(e, 'PostPublished'))
        .map(({ data: d, metadata }) => {
          // a list of text by the type; read as carefully as any stored value
          const tags: unknown[] = Array.isArray(d.tags) ? d.tags : [];
          return {
            post_id: d.postId,
            unit_id: d.unitId,
            channel: d.channel,
            // clamped into the gate's range (#domain storedInstant); unreadable: when it was recorded
            published_at:
              storedInstant(d.publishedAt) ??
              storedInstant(metadata.recordedAt) ??
              new Date(0).toISOString(),
            good_news: tags.includes(GOOD_NEWS_TAG),
            beautiful_story: tags.includes(BEAUTIFUL_STORY_TAG),
          };
        }),
      onConflict: 'ON CONFLICT (post_id) DO NOTHING',
    });
  },
};
