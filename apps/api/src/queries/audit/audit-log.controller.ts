import { Controller, Get, Header, Param, Query } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { ApiProblems, Roles, notFound, validationFailed } from '#platform';
import { AuditLogRunner } from '#projections';
import { FromLogQuery } from '../shared/query-params.js';
import { CHECKPOINT_LIST, CONSISTENCY_PROOF, INCLUSION_PROOF } from '../shared/log-schemas.js';

const SIZE = /^\d{1,15}$/;

// Each query reads the signed log as it is now, as the key and checkpoint routes do: `minPosition` is
// taken as on every read (API.md) and met at once, and `snapshot` is refused with its reason, not as
// a parameter the route does not know.
class CheckpointsQuery extends FromLogQuery {
  @ApiPropertyOptional({
    description: 'Smallest tree size listed',
    type: 'integer',
    minimum: 0,
    default: 0,
  })
  @IsOptional()
  @Matches(SIZE, { message: 'fromSize must be a non-negative integer' })
  fromSize?: string;

  @ApiPropertyOptional({
    description: 'At most this many',
    type: 'integer',
    minimum: 1,
    maximum: 1000,
    default: 100,
  })
  @IsOptional()
  @Matches(/^([1-9]\d{0,2}|1000)$/, { message: 'limit must be an integer from 1 to 1000' })
  limit?: string;
}

class InclusionQuery extends FromLogQuery {
  @ApiPropertyOptional({
    description: 'A signed tree size (default: the latest checkpoint)',
    type: 'integer',
    minimum: 0,
  })
  @IsOptional()
  @Matches(SIZE, { message: 'treeSize must be a non-negative integer' })
  treeSize?: string;
}

class ConsistencyQuery extends FromLogQuery {
  @ApiProperty({ description: 'The earlier signed tree size', type: 'integer', minimum: 0 })
  @Matches(SIZE, { message: 'from must be a positive integer' })
  from!: string;

  @ApiProperty({ description: 'The later signed tree size', type: 'integer', minimum: 0 })
  @Matches(SIZE, { message: 'to must be a positive integer' })
  to!: string;
}

const b64 = (hashes: readonly Buffer[]) => hashes.map((h) => h.toString('base64'));

/**
 * The verifiable log of API.md: the key and signed checkpoints for anyone with a token, the proofs for
 * auditors and operators. Every proof is into a SIGNED size, so that it means something to whoever
 * holds that checkpoint.
 */
@ApiTags('audit')
@Controller('audit/log')
export class AuditLogController {
  constructor(private readonly log: AuditLogRunner) {}

  @Get('key')
  @Header('content-type', 'text/plain; charset=utf-8')
  @ApiOkResponse({
    content: {
      'text/plain': {
        schema: { type: 'string', description: '<name>+<hash>+<base64>, then a newline' },
      },
    },
  })
  @ApiOperation({ summary: 'The verifier key of the checkpoints, as note.NewVerifier takes it' })
  key(@Query() _query: FromLogQuery): string {
    return `${this.log.verifierKey}\n`;
  }

  @Get('checkpoint')
  @Header('content-type', 'text/plain; charset=utf-8')
  @ApiOkResponse({
    content: {
      'text/plain': {
        schema: { type: 'string', description: 'a C2SP tlog-checkpoint signed note' },
      },
    },
  })
  @ApiOperation({ summary: 'The latest signed checkpoint (C2SP tlog-checkpoint signed note)' })
  @ApiProblems(404) // none signed yet: a fresh log, or a server whose worker has not run
  async checkpoint(@Query() _query: FromLogQuery): Promise<string> {
    const latest = await this.log.checkpoints.latest();
    if (!latest) throw notFound('no checkpoint has been signed yet', 'no_checkpoint');
    return latest.note;
  }

  @Get('checkpoints')
  @Roles('auditor', 'operator')
  @ApiOperation({ summary: 'Every signed checkpoint, oldest first' })
  @ApiOkResponse({ schema: CHECKPOINT_LIST })
  async checkpoints(@Query() q: CheckpointsQuery) {
    const list = await this.log.checkpoints.list(Number(q.fromSize ?? 0), Number(q.limit ?? 100));
    return { checkpoints: list };
  }

  @Get('events/:eventId/inclusion')
  @Roles('auditor', 'operator')
  @ApiOperation({ summary: "An event's RFC 9162 inclusion proof into a signed checkpoint" })
  @ApiOkResponse({ schema: INCLUSION_PROOF })
  async inclusion(@Param('eventId') eventId: string, @Query() q: InclusionQuery) {
    const [checkpoint, leaf] = await Promise.all([
      q.treeSize === undefined
        ? this.log.checkpoints.latest()
        : this.signed(Number(q.treeSize), 'treeSize'),
      this.log.tree.leafOf(eventId),
    ]);
    if (!checkpoint || !leaf || leaf.leafIndex >= checkpoint.treeSize)
      throw notFound(
        `event ${eventId} is not under ${checkpoint ? `the signed checkpoint of size ${checkpoint.treeSize}` : 'a signed checkpoint'} (unknown, or recorded since)`,
      );
    const proof = await this.log.tree.inclusionProof(leaf.leafIndex, checkpoint.treeSize);
    return {
      eventId,
      leafIndex: leaf.leafIndex,
      treeSize: checkpoint.treeSize,
      rootHash: checkpoint.rootHash,
      hashes: b64(proof),
    };
  }

  @Get('consistency')
  @Roles('auditor', 'operator')
  @ApiOperation({ summary: 'The RFC 9162 consistency proof between two signed checkpoints' })
  @ApiOkResponse({ schema: CONSISTENCY_PROOF })
  async consistency(@Query() q: ConsistencyQuery) {
    const from = await this.signed(Number(q.from), 'from');
    const to = await this.signed(Number(q.to), 'to');
    if (from.treeSize > to.treeSize)
      throw validationFailed([{ field: 'from', message: 'from must not be larger than to' }]);
    const proof = await this.log.tree.consistencyProof(from.treeSize, to.treeSize);
    return { from: from.treeSize, to: to.treeSize, hashes: b64(proof) };
  }

  private async signed(size: number, field: string) {
    const checkpoint = await this.log.checkpoints.bySize(size);
    if (!checkpoint)
      throw validationFailed([{ field, message: `no checkpoint was signed at tree size ${size}` }]);
    return checkpoint;
  }
}
