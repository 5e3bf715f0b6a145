import type { SchemaComponent } from '#schema';

/** The personal-data vault's tables (the keys, and the subjects erased), for the schema runner (#schema). */
export const personalDataSchema: SchemaComponent = {
  name: 'personal-data',
  migrations: [
    {
      version: 1,
      // What the vault created at every start before #schema: idempotent, so a database made then upgrades.
      name: 'keys and erasures',
      sql: `
CREATE TABLE IF NOT EXISTS personal_data_keys (
  subject_id text PRIMARY KEY,
  key bytea NOT NULL CHECK (octet_length(key) = 32),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS personal_data_erasures (
  subject_id text PRIMARY KEY,
  erased_at timestamptz NOT NULL DEFAULT now()
);`,
    },
    {
      version: 2,
      // One row, moved by every erasure in its transaction: what tells a process that the names it
      // has opened may no longer be shown (PersonalDataVault.openAll).
      name: 'erasure count',
      sql: `
CREATE TABLE personal_data_erasure_count (
  single boolean PRIMARY KEY DEFAULT true CHECK (single),
  erasures bigint NOT NULL
);
INSERT INTO personal_data_erasure_count (erasures) SELECT count(*) FROM personal_data_erasures;`,
    },
  ],
};
