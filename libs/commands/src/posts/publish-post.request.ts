import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsOptional, IsUrl } from 'class-validator';
import { IsFreeText, IsInstant, IsId, CreationId, UnitIdField } from '../shared/validators.js';

export class PublishPostRequest {
  @CreationId('post')
  id?: string;

  @UnitIdField()
  unitId: string;

  @ApiProperty({
    example: 'facebook',
    description: "Where it was published (e.g. the unit's fan page).",
  })
  @IsFreeText('channel')
  channel: string;

  @ApiProperty({ example: 'Đoàn viên hỗ trợ người dân kích hoạt VNeID mức 2' })
  @IsFreeText('title')
  title: string;

  @ApiPropertyOptional({ example: 'https://facebook.com/doanphuong/posts/1' })
  @IsOptional()
  @IsUrl({ require_protocol: true }, { message: 'url must be an absolute URL' })
  @IsFreeText('url')
  url?: string;

  @ApiPropertyOptional({
    example: ['good-news'],
    description: '`good-news` (daily goal), `beautiful-story` (weekly goal), …',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsFreeText('tag', { each: true })
  tags?: string[];

  @ApiProperty({ example: '2025-08-09T20:00:00+07:00' })
  @IsInstant()
  publishedAt: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsId({ message: 'authorMemberId must be a member id' })
  authorMemberId?: string;
}
