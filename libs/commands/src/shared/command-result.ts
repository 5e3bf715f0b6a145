import { ApiProperty } from '@nestjs/swagger';

/** What every command answers (API.md "Commands"): the aggregate id, its stream, version and feed position. */
export type CommandResult = Readonly<{
  id: string;
  streamId: string;
  version: number;
  position: number;
}>;

export class CommandResultDto implements CommandResult {
  @ApiProperty({
    description: 'The aggregate id (for assistance: the assistance id).',
    example: '0b7c…',
  })
  id: string;
  @ApiProperty({ example: 'shift-0b7c…' })
  streamId: string;
  @ApiProperty({
    description: "The stream's version after the append (first event: 0).",
    example: 0,
  })
  version: number;
  @ApiProperty({
    description: 'Global position of the last event appended; pass it as `?minPosition=` to reads.',
  })
  position: number;
}
