import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { notFound } from '#platform';
import {
  CADENCE_TIMEZONE,
  postingCadence,
  programmeRollup,
  READS,
  unitSummary,
} from '#projections';
import { ReadQuery } from '../shared/query-params.js';
import { ReadModels } from '../shared/read-models.service.js';
import { POSTING_CADENCE, UNIT_SUMMARY } from '../shared/read-schemas.js';

@ApiTags('queries')
@Controller('units')
export class UnitsQueriesController {
  constructor(private readonly readModels: ReadModels) {}

  @Get(':id/summary')
  @ApiOkResponse({ schema: UNIT_SUMMARY })
  @ApiOperation({ summary: "A unit's figures over its whole subtree" })
  async summary(@Param('id') id: string, @Query() q: ReadQuery) {
    const { value: summary, stamp } = await this.knownUnit(id, q);
    // Programmes live in their own read model: same `minPosition` or snapshot, and the answer's
    // position is the lower of the two checkpoints (both read models reflect at least that).
    const programmes = await this.readModels.read(
      READS.programmesSkills,
      q,
      ['rollup', id],
      (sql, schema) => programmeRollup(sql, schema, id),
    );
    const { kind: _kind, parentId: _parent, ...figures } = summary;
    const { programmes: count, programmeAttendees } = programmes.value ?? {
      programmes: 0,
      programmeAttendees: { members: 0, citizens: 0 },
    };
    const position = Math.min(stamp.position, programmes.stamp.position);
    return { ...figures, programmes: count, programmeAttendees, ...stamp, position };
  }

  @Get(':id/cadence')
  @ApiOkResponse({ schema: POSTING_CADENCE })
  @ApiOperation({
    summary:
      'Posting cadence per channel: good-news days, beautiful-story weeks, streaks (an extension of API.md)',
  })
  async cadence(@Param('id') id: string, @Query() q: ReadQuery) {
    // Streaks are counted up to today (a snapshot's day, for a snapshot): the day is part of the key.
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: CADENCE_TIMEZONE }).format(
      await this.readModels.clockOf(q),
    ); // YYYY-MM-DD
    // The cadence model holds posts, not units: whether the unit exists is the roll-ups' answer, as
    // for the summary, and the position is the lower of the two checkpoints.
    const known = await this.knownUnit(id, q);
    const { value: channels, stamp } = await this.readModels.read(
      READS.postingCadence,
      q,
      ['cadence', id, today],
      (sql, schema) => postingCadence(sql, schema, id, today),
    );
    const position = Math.min(known.stamp.position, stamp.position);
    return { unitId: id, timezone: CADENCE_TIMEZONE, channels, ...stamp, position };
  }

  /** The unit's roll-up row, read as the summary reads it; 404 for a unit the read model does not hold. */
  private async knownUnit(id: string, q: ReadQuery) {
    const answer = await this.readModels.read(
      READS.unitRollups,
      q,
      ['summary', id],
      (sql, schema) => unitSummary(sql, schema, id),
    );
    if (!answer.value) throw notFound(`unit ${id} is unknown (or not projected yet)`);
    return { value: answer.value, stamp: answer.stamp };
  }
}
