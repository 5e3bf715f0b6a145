import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';

const root = process.cwd();

/**
 * Runs `npm run depcheck`'s dependency-cruiser with the repository's rules over a small tree of its own,
 * so that the rules are shown to refuse what they promise to, without ever writing into the real tree.
 */
async function depcheck(
  files: Record<string, string>,
): Promise<{ failed: boolean; output: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'depcheck-'));
  try {
    await symlink(resolve(root, 'node_modules'), join(dir, 'node_modules'));
    await writeFile(
      join(dir, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext' } }),
    );
    for (const [path, text] of Object.entries(files)) {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), text);
    }
    const cli = resolve(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
    const args = [cli, '--config', resolve(root, '.dependency-cruiser.cjs'), 'apps', 'libs'];
    return await promisify(execFile)(process.execPath, args, { cwd: dir }).then(
      ({ stdout }) => ({ failed: false, output: stdout }),
      (error: { stdout?: string; stderr?: string }) => ({
        failed: true,
        output: `${error.stdout ?? ''}${error.stderr ?? ''}`,
      }),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const cleanTree = {
  'libs/domain/src/rules.ts': `export const maxShiftHours = 16;\n`,
  'libs/platform/src/config.ts': `import { maxShiftHours } from '../../domain/src/rules.js';\nexport const config = { maxShiftHours };\n`,
  'apps/api/src/main.ts': `import { config } from '../../../libs/platform/src/config.js';\nexport const port = config.maxShiftHours;\n`,
};

describe('the dependency rules of npm test', () => {
  it('accept a tree that keeps the domain pure and the libraries out of the apps', async () => {
    const result = await depcheck(cleanTree);

    expect(result).toMatchObject({ failed: false });
  }, 60_000);

  it.each([
    [
      'the domain imports Nest',
      'libs/domain/src/bad.ts',
      `import { Injectable } from '@nestjs/common';\nexport const x = Injectable;\n`,
      'domain-is-pure',
    ],
    [
      'the domain imports pg',
      'libs/domain/src/bad.ts',
      `import pg from 'pg';\nexport const x = pg;\n`,
      'domain-is-pure',
    ],
    [
      'the domain imports kafkajs',
      'libs/domain/src/bad.ts',
      `import { Kafka } from 'kafkajs';\nexport const x = Kafka;\n`,
      'domain-is-pure',
    ],
    [
      'the domain imports the event store',
      'libs/domain/src/bad.ts',
      `import { x as y } from '../../event-store/src/store.js';\nexport const x = y;\n`,
      'domain-stays-inside',
    ],
    [
      'a library imports an app',
      'libs/platform/src/bad.ts',
      `import { port } from '../../../apps/api/src/main.js';\nexport const x = port;\n`,
      'libs-never-import-apps',
    ],
    [
      'an app imports another app',
      'apps/cli/src/main.ts',
      `import { port } from '../../api/src/main.js';\nexport const x = port;\n`,
      'apps-stay-apart',
    ],
  ])(
    'fail when %s',
    async (_what, path, text, rule) => {
      const result = await depcheck({
        ...cleanTree,
        'libs/event-store/src/store.ts': 'export const x = 1;\n',
        [path]: text,
      });

      expect(result.failed).toBe(true);
      expect(result.output).toContain(rule);
    },
    60_000,
  );
});
