/**
 * `npm run bench`: runs the bench modules against one PostgreSQL (DATABASE_URL, or an embedded one
 * started here) and records their reports in bench/RESULTS.md.
 * `npm run bench -- event-store` runs only the named modules; the other sections of RESULTS.md are kept.
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { machineLine, type BenchContext } from './bench-kit.js';

/** Bench modules, run in this order. A module whose file is absent (not written yet) is skipped. */
const modules = [
  'event-store',
  'projections',
  'relay',
  'audit-log',
  'dashboard',
  'http-commands',
  'public-routes',
];

type BenchModule = { run(ctx: BenchContext): Promise<void> };

const here = dirname(fileURLToPath(import.meta.url));

function projectRoot(): string {
  for (let dir = here; dir !== dirname(dir); dir = dirname(dir))
    if (existsSync(join(dir, 'package.json'))) return dir;
  return process.cwd();
}

async function startDatabase(root: string): Promise<{ url: string; stop: () => Promise<void> }> {
  if (process.env.DATABASE_URL)
    return { url: process.env.DATABASE_URL, stop: async () => undefined };
  const tool = pathToFileURL(join(root, 'tools', 'embedded-postgres.mjs')).href;
  const { startEmbeddedPostgres } = (await import(tool)) as {
    startEmbeddedPostgres(o: {
      dataDir: string;
      persistent: boolean;
    }): Promise<{ url: string; stop: () => Promise<void> }>;
  };
  // PostgreSQL runs as the `postgres` user when we are root: it must be able to enter the parent.
  const parent = mkdtempSync(join(tmpdir(), 'bench-pg-'));
  chmodSync(parent, 0o755);
  const dataDir = join(parent, 'data');
  console.log(`starting an embedded PostgreSQL in ${dataDir}`);
  const pg = await startEmbeddedPostgres({ dataDir, persistent: false });
  return {
    url: pg.url,
    stop: async () => {
      await pg.stop();
      rmSync(dirname(dataDir), { recursive: true, force: true });
    },
  };
}

/** Replaces the sections that ran, keeps the others, and rewrites the header. */
function writeResults(root: string, sections: Map<string, string[]>, header: string[]): void {
  const file = join(root, 'bench', 'RESULTS.md');
  const previous = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const kept = new Map<string, string>();
  for (const match of previous.matchAll(/<!-- section: (.+?) -->\n([\s\S]*?)<!-- \/section -->\n/g))
    kept.set(match[1]!, match[2]!);
  for (const [name, lines] of sections) kept.set(name, `${lines.join('\n')}\n`);
  const body = [...kept]
    .map(([name, text]) => `<!-- section: ${name} -->\n${text}<!-- /section -->\n`)
    .join('\n');
  writeFileSync(file, `${header.join('\n')}\n\n${body}`);
  console.log(`results written to ${file}`);
}

async function main(): Promise<void> {
  const root = projectRoot();
  const wanted = process.argv.slice(2);
  const selected = modules.filter((name) => wanted.length === 0 || wanted.includes(name));
  const database = await startDatabase(root);
  const sections = new Map<string, string[]>();
  const started = new Date();
  let failed = false;
  try {
    for (const name of selected) {
      const file = join(here, `${name}.bench.js`);
      if (!existsSync(file)) {
        console.log(`bench ${name}: skipped (${name}.bench.ts not present)`);
        continue;
      }
      console.log(`\n=== bench ${name}`);
      const module = (await import(pathToFileURL(file).href)) as BenchModule;
      const ctx: BenchContext = {
        databaseUrl: database.url,
        kafkaBrokers: process.env.KAFKA_BROKERS,
        report: (section, lines) => {
          console.log(`\n## ${section}\n${lines.join('\n')}`);
          sections.set(section, [`## ${section}`, '', ...lines, '']);
        },
      };
      try {
        await module.run(ctx);
      } catch (error) {
        failed = true;
        console.error(`bench ${name} failed:`, error);
      }
    }
  } finally {
    await database.stop();
  }
  const header = [
    '# Benchmark results',
    '',
    `Recorded by \`npm run bench\` on ${started.toISOString()} (${((Date.now() - started.getTime()) / 1000).toFixed(0)} s).`,
    '',
    `Machine: ${machineLine()}`,
    '',
    `PostgreSQL: ${process.env.DATABASE_URL ? 'from DATABASE_URL' : 'embedded (tools/embedded-postgres.mjs)'}.`,
  ];
  writeResults(root, sections, header);
  if (failed) process.exitCode = 1;
}

await main();
