import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { PersonalDataVault, signToken } from '#platform';
import { createApp } from '../../apps/api/src/app.factory.js';
import {
  hoursAgo,
  operator,
  seedTree,
  startCommandsKit,
  type CommandsKit,
} from './commands-kit.js';

/** What README tells an operator to do to revoke every token at once, after a token leaked. */
const ROTATED_SECRET = 'rotated-after-a-leak-0123456789abcdef';

/**
 * A citizen's subject (the key that seals their reference, the erasure that destroys it) must not
 * hang on the JWT secret: rotating it to revoke tokens made every citizen recorded before a stranger
 * to `DELETE /citizens/personal-data`, which answered 201 and left the key that opens their
 * reference beside it in the database.
 */
describe('erasing a citizen after the JWT secret was rotated', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cit_rotation-'));
  let kit: CommandsKit;
  let rotated: INestApplication | undefined;

  beforeAll(async () => {
    kit = await startCommandsKit('cit_rotation', { dataDir });
    await seedTree(kit, 'rot');
    await kit.record('/shifts', {
      id: 'rot-s1',
      memberId: 'rot-m1',
      location: 'UBND phường',
      startedAt: hoursAgo(3),
    });
  });
  afterAll(async () => {
    await rotated?.close();
    await kit?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('destroys the key of the reference recorded before the rotation', async () => {
    // given a citizen helped while the first secret was in force
    const helped = await kit.record('/shifts/rot-s1/assistance', {
      id: 'rot-a1',
      serviceType: 'eid_activation',
      occurredAt: hoursAgo(2),
      citizenRef: '0912345678',
    });
    const sealed = (await kit.store.readStream('shift-rot-s1'))[helped.version]!.data.citizenRef;
    const vault = kit.app.get(PersonalDataVault);
    expect(await vault.open(sealed)).toBe('0912345678');

    // when the server restarts on the same DATA_DIR and database with a new secret, and the operator
    // erases the citizen with a token of the new secret
    rotated = await createApp({
      databaseUrl: kit.databaseUrl,
      dataDir,
      jwtSecret: ROTATED_SECRET,
      worker: false,
      env: { LOG_LEVEL: 'error', LOG_FORMAT: 'json' },
    });
    const erased = await request(rotated.getHttpServer())
      .delete('/citizens/personal-data')
      .set('Authorization', `Bearer ${await signToken(operator, ROTATED_SECRET)}`)
      .send({ citizenRef: '0912345678' });

    // then the reference recorded before no longer opens, and no key is left for its subject
    expect(erased.status).toBe(201);
    expect(await vault.open(sealed)).toBeNull();
    const subject = (sealed as { subject: string }).subject;
    expect(
      await kit.sql('SELECT 1 FROM personal_data_keys WHERE subject_id = $1', [subject]),
    ).toEqual([]);
  });
});
