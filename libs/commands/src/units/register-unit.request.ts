import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { unitKinds, type UnitKind } from '#domain';
import { IsFreeText, IsId, CreationId } from '../shared/validators.js';

export class RegisterUnitRequest {
  @CreationId('unit')
  id?: string;

  @ApiProperty({ example: 'Đoàn phường Bến Thành' })
  @IsFreeText('name')
  name: string;

  @ApiProperty({ enum: unitKinds })
  @IsIn(unitKinds)
  kind: UnitKind;

  @ApiPropertyOptional({ description: 'The parent unit; absent for a root unit (operators only).' })
  @IsOptional()
  @IsId({ message: 'parentId must be a unit id' })
  parentId?: string;
}
