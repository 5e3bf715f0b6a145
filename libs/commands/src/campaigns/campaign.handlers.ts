import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  campaignNotFound,
  campaignStreamId,
  decideCampaign,
  evolveCampaign,
  initialCampaignState,
  type CampaignCommand,
  type CampaignEvent,
  type CampaignState,
} from '#domain';
import { Authorizer, type Actor } from '#platform';
import { DirectoryService } from '../directory/directory.service.js';
import { onceCommandId, resolveActionId, resolveCreationId } from '../shared/command-id.js';
import type { CommandResult } from '../shared/command-result.js';
import { authorizeCreationInUnit, creationEnvelope } from '../shared/creation-envelope.js';
import { CommandHandling, type CommandEnvelope, type Steps } from '../shared/handle-command.js';
import type {
  CloseCampaignRequest,
  ExtendCampaignRequest,
  LaunchCampaignRequest,
} from './campaign.requests.js';
import { requireZoneReadAlike } from './zone-agreement.js';

export class LaunchCampaignCommand {
  constructor(
    readonly actor: Actor,
    readonly body: LaunchCampaignRequest,
    readonly idempotencyKey?: string,
  ) {}
}
export class ExtendCampaignCommand {
  constructor(
    readonly actor: Actor,
    readonly campaignId: string,
    readonly body: ExtendCampaignRequest,
    readonly idempotencyKey?: string,
  ) {}
}
export class CloseCampaignCommand {
  constructor(
    readonly actor: Actor,
    readonly campaignId: string,
    readonly body: CloseCampaignRequest,
    readonly idempotencyKey?: string,
  ) {}
}

@CommandHandler(LaunchCampaignCommand)
export class LaunchCampaignHandler implements ICommandHandler<
  LaunchCampaignCommand,
  CommandResult
> {
  constructor(
    private readonly commands: CommandHandling,
    private readonly directory: DirectoryService,
    private readonly authorizer: Authorizer,
  ) {}

  async execute({ actor, body, idempotencyKey }: LaunchCampaignCommand): Promise<CommandResult> {
    this.authorizer.assertRole(actor, 'coordinator', 'operator');
    const route = 'POST /campaigns';
    const campaignId = resolveCreationId(body.id, idempotencyKey, route);
    const unitExists = (await this.directory.findUnit(body.unitId)) !== null;
    const { id: _id, ...data } = body;
    return this.commands.handle(
      creationEnvelope(actor, route, campaignId, body, campaignStreamId(campaignId)),
      {
        evolve: evolveCampaign,
        initialState: initialCampaignState,
        authorize: authorizeCreationInUnit(this.authorizer, actor, body.unitId, unitExists),
        decide: async (state, context, { db }) => {
          const events = decideCampaign(
            { type: 'LaunchCampaign', data: { ...data, campaignId } },
            state,
            { ...context, unitExists },
          );
          await requireZoneReadAlike(db, events, state);
          return events;
        },
      },
    );
  }
}

/** The envelope of an action on the campaign `campaignId` (answered with the campaign id). */
const onCampaign = (
  actor: Actor,
  route: string,
  campaignId: string,
  id: Pick<CommandEnvelope, 'commandId' | 'formerIds'>,
  request: object,
): CommandEnvelope => ({
  route,
  ...id,
  request: { campaignId, ...request },
  actor,
  id: campaignId,
  streamId: campaignStreamId(campaignId),
  notFound: () => campaignNotFound(campaignId),
});

/**
 * The steps of an action on a launched campaign (extending, closing): within the campaign's unit's
 * subtree. Shift starts and assistance decide on whether the campaign is closed (their `reads`), so
 * it is decided under its stream's lock (`readByOthers`).
 */
const campaignAction = (
  authorizer: Authorizer,
  actor: Actor,
  command: CampaignCommand,
): Steps<CampaignState, CampaignEvent> => ({
  evolve: evolveCampaign,
  initialState: initialCampaignState,
  readByOthers: true,
  authorize: async (state) => {
    if (state) await authorizer.assertCanActOnUnit(actor, state.unitId);
  },
  decide: async (state, context, { db }) => {
    const events = decideCampaign(command, state, { ...context, unitExists: true });
    await requireZoneReadAlike(db, events, state);
    return events;
  },
});

@CommandHandler(ExtendCampaignCommand)
export class ExtendCampaignHandler implements ICommandHandler<
  ExtendCampaignCommand,
  CommandResult
> {
  constructor(
    private readonly commands: CommandHandling,
    private readonly authorizer: Authorizer,
  ) {}

  execute({
    actor,
    campaignId,
    body,
    idempotencyKey,
  }: ExtendCampaignCommand): Promise<CommandResult> {
    this.authorizer.assertRole(actor, 'coordinator', 'operator');
    const { commandId, ...request } = body;
    const id = { commandId: resolveActionId(commandId, idempotencyKey) };
    const command: CampaignCommand = {
      type: 'ExtendCampaign',
      data: { campaignId, endDate: body.endDate },
    };
    return this.commands.handle(
      onCampaign(actor, 'POST /campaigns/:id/extend', campaignId, id, request),
      campaignAction(this.authorizer, actor, command),
    );
  }
}

@CommandHandler(CloseCampaignCommand)
export class CloseCampaignHandler implements ICommandHandler<CloseCampaignCommand, CommandResult> {
  constructor(
    private readonly commands: CommandHandling,
    private readonly authorizer: Authorizer,
  ) {}

  execute({
    actor,
    campaignId,
    body,
    idempotencyKey,
  }: CloseCampaignCommand): Promise<CommandResult> {
    this.authorizer.assertRole(actor, 'coordinator', 'operator');
    // A campaign closes once: without an id of its own the command is "close this campaign", so a
    // resend answers the first result rather than "already closed".
    const id = onceCommandId(body?.commandId ?? idempotencyKey, 'close', campaignId);
    const command: CampaignCommand = { type: 'CloseCampaign', data: { campaignId } };
    return this.commands.handle(
      onCampaign(actor, 'POST /campaigns/:id/close', campaignId, id, {}),
      campaignAction(this.authorizer, actor, command),
    );
  }
}
