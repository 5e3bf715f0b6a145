import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createBookkeeping, createSlot } from '../runner/checkpoints.js';
import { projections } from '../read-models/registry.js';

/**
 * The runner's bookkeeping tables and a first, empty live slot for each projection, filled from the start
 * of the log by the runner. Later versions of a projection get their slot from the runner itself (a
 * rebuild beside the live one), not from a migration.
 */
export class CreateReadModels1764100000000 implements MigrationInterface {
  name = 'CreateReadModels1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createBookkeeping(queryRunner);
    for (const projection of projections) {
      const existing = (await queryRunner.query(
        `SELECT 1 FROM projection_checkpoints WHERE projection = $1 LIMIT 1`,
        [projection.name],
      )) as unknown[];
      if (!existing.length) await createSlot(queryRunner, projection, 'live');
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const slots = (await queryRunner.query(`SELECT schema_name FROM projection_checkpoints`)) as {
      schema_name: string;
    }[];
    for (const { schema_name } of slots)
      await queryRunner.query(`DROP SCHEMA IF EXISTS ${schema_name} CASCADE`);
    await queryRunner.query(`DROP TABLE IF EXISTS projection_jobs, projection_checkpoints`);
  }
}

export const readModelMigrations = [CreateReadModels1764100000000];
