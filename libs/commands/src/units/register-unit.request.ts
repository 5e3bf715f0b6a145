import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { unitKinds, type UnitKind } from '#domain';
import { IsFreeText, idPattern, CreationId } from '../shared/validators.js';

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
  @Matches(idPattern, { message: 'parentId must be a unit id' })
  parentId?: string;
}
