import { instant, int, num, object, str } from './read-schemas.js';
import type { ApiResponseSchemaHost } from '@nestjs/swagger';

type SchemaObject = ApiResponseSchemaHost['schema'];

/**
 * The answers of the verifiable log (API.md "Verifiable log"), for /docs. Hashes in proofs are 32
 * bytes in standard base64; a chain hash is 64 lowercase hex digits.
 */
const base64Hash: SchemaObject = { type: 'string', format: 'byte', description: 'SHA-256, base64' };
const proof: SchemaObject = { type: 'array', items: base64Hash };
const hexHash: SchemaObject = { type: 'string', pattern: '^[0-9a-f]{64}$' };
const treeSize: SchemaObject = { type: 'integer', minimum: 0 };

export const CHECKPOINT_LIST: SchemaObject = object({
  checkpoints: {
    type: 'array',
    description: 'oldest first',
    items: object({
      treeSize,
      rootHash: base64Hash,
      signedAt: instant,
      note: { type: 'string', description: 'the C2SP tlog-checkpoint signed note' },
    }),
  },
});

export const INCLUSION_PROOF: SchemaObject = object({
  eventId: str,
  leafIndex: { type: 'integer', minimum: 0 },
  treeSize,
  rootHash: base64Hash,
  hashes: { ...proof, description: "RFC 9162 inclusion proof, the leaf's sibling first" },
});

export const CONSISTENCY_PROOF: SchemaObject = object({
  from: treeSize,
  to: treeSize,
  hashes: { ...proof, description: 'RFC 9162 consistency proof' },
});

const certifiedEvent = object({
  streamId: str,
  streamVersion: { type: 'integer', minimum: 0 },
  eventId: str,
  type: str,
  schemaVersion: int,
  data: { nullable: true, description: 'as stored (the chain hash covers this form)' },
  metadata: { type: 'object' },
  previousHash: { ...hexHash, nullable: true },
  hash: hexHash,
  leafIndex: { type: 'integer', minimum: 0 },
  inclusion: { ...proof, description: 'inclusion proof into `checkpoint`' },
});

export const HOURS_CERTIFICATE: SchemaObject = object({
  memberId: str,
  from: { ...instant, nullable: true },
  to: { ...instant, nullable: true },
  verifiedHours: num,
  shifts: {
    type: 'array',
    items: object({
      shiftId: str,
      campaignId: { type: 'string', nullable: true },
      hours: { type: 'number', nullable: true },
      events: { type: 'array', items: certifiedEvent },
    }),
  },
  checkpoint: { type: 'string', description: 'the signed note every inclusion proof is into' },
  key: { type: 'string', description: 'the verifier key (check against one you already trust)' },
  attestation: {
    type: 'string',
    description:
      "beyond API.md: a note signed by the checkpoint's key naming the member, the period and each shift's event count and last hash, so that events cut off a shift show (verify certificate checks it)",
  },
});
