import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authorizer, CurrentActor, PersonalDataVault, type Actor } from '#platform';
import { ERASED_NAME, ifFilterIdsKnown, memberList, openNames, READS } from '#projections';
import { OptionalId, PageLimit, ReadQuery } from '../shared/query-params.js';
import { ReadModels } from '../shared/read-models.service.js';
import { MEMBER_LIST } from '../shared/read-schemas.js';

export class MemberListRequest extends ReadQuery {
  @OptionalId("Members of this unit's subtree (default: the token's unit)")
  unitId?: string;

  @PageLimit(50)
  limit?: number;

  @OptionalId('The `next` of the previous page')
  after?: string;
}

@ApiTags('queries')
@Controller('members')
export class MembersQueriesController {
  constructor(
    private readonly readModels: ReadModels,
    private readonly authorizer: Authorizer,
    private readonly vault: PersonalDataVault,
  ) {}

  @Get()
  @ApiOperation({ summary: "Members of a unit's subtree, a page at a time, within the token's" })
  @ApiOkResponse({ schema: MEMBER_LIST })
  async list(@Query() q: MemberListRequest, @CurrentActor() actor: Actor) {
    const unitId = q.unitId ?? actor.unitId;
    if (unitId !== undefined) await this.authorizer.assertCanActOnUnit(actor, unitId, true);
    const query = { unitId, limit: q.limit ?? 50, after: q.after };
    const { value, stamp } = await this.readModels.read(
      READS.members,
      q,
      ['members', query],
      (sql, schema) =>
        ifFilterIdsKnown(
          sql,
          schema,
          query,
          () => memberList(sql, schema, query),
          (list) => list.members.length === 0,
        ),
    );
    // Opened per request, outside the shared answer: an erased member's name is gone at once.
    const members = (await openNames(value.members, this.vault)).map((member) => ({
      ...member,
      displayName: member.displayName ?? ERASED_NAME,
    }));
    return { ...value, members, ...stamp };
  }
}
