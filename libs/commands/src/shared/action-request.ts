import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsId, idRule } from './validators.js';

/** Body of an action on an existing aggregate: the optional command id that makes a retry safe. */
export class ActionRequest {
  @ApiPropertyOptional({
    description:
      'Command id: resending it with the same body answers the first result and records nothing. ' +
      'Alternatively send an `Idempotency-Key` header.',
  })
  @IsOptional()
  @IsId({ message: idRule('commandId') })
  commandId?: string;
}
