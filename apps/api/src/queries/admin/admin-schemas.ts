import type { ApiResponseSchemaHost } from '@nestjs/swagger';
import { instant, int, object, str } from '../shared/read-schemas.js';

type SchemaObject = ApiResponseSchemaHost['schema'];

/** The answers of the `/admin` routes (API.md "Snapshots", the rebuild and its job), for /docs. */
const nullableStr: SchemaObject = { type: 'string', nullable: true };

export const PROJECTION_STATUS: SchemaObject = object({
  head: { type: 'integer', description: 'the log position of the last event' },
  projections: {
    type: 'array',
    items: object({
      name: str,
      version: int,
      generation: int,
      state: str,
      checkpoint: int,
      lag: { type: 'integer', description: 'events not yet projected' },
      jobId: nullableStr,
    }),
  },
});

export const JOB_STARTED: SchemaObject = object(
  {
    id: { type: 'string', description: 'the job: follow it at GET /admin/jobs/{id}' },
    snapshot: { type: 'string', description: 'the snapshot it builds (a bound was given)' },
  },
  ['id'],
);

export const SNAPSHOT_STARTED: SchemaObject = object({
  id: { type: 'string', description: 'the job: follow it at GET /admin/jobs/{id}' },
  snapshot: { type: 'string', description: 'read it with ?snapshot=' },
});

export const JOB: SchemaObject = object(
  {
    id: str,
    state: { type: 'string', enum: ['running', 'done', 'failed'] },
    processed: int,
    total: int,
    error: str,
    projection: {
      ...nullableStr,
      description: 'the projection rebuilt; null for all, or a snapshot',
    },
    toPosition: { ...nullableStr, description: "a snapshot's bound, in decimal digits" },
    toTime: { ...instant, nullable: true },
  },
  ['id', 'state', 'processed', 'total'],
);

const bound = (name: 'toPosition' | 'toTime') =>
  object(
    {
      id: str,
      [name]: name === 'toPosition' ? int : instant,
      state: { type: 'string', enum: ['building', 'ready', 'failed'] },
      createdAt: instant,
      jobId: str,
      position: { type: 'integer', description: 'the last log position it holds' },
      error: str,
    },
    ['id', name, 'state', 'createdAt'],
  );

export const SNAPSHOT_LIST: SchemaObject = object({
  snapshots: { type: 'array', items: { oneOf: [bound('toPosition'), bound('toTime')] } },
});
