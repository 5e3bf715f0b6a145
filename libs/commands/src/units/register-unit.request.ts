import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { unitKinds, type UnitKind } from '#domain';
import { idPattern, CreationId } from '../shared/validators.js';

export class RegisterUnitRequest {
  @CreationId('unit')
  id?: string;

  @ApiProperty({ example: 'Đoàn phường Bến Thành' })
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiProperty({ enum: unitKinds })
  @IsIn(unitKinds)
  kind: UnitKind;

  @ApiPropertyOptional({ description: 'The parent unit; absent for a root unit (operators only).' })
  @IsOptional()
  @Matches(idPattern, { message: 'parentId must be a unit id' })
  parentId?: string;
}
