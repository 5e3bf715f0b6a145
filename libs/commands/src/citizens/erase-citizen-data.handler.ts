import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ApiProperty } from '@nestjs/swagger';
import { citizenStreamId, decideCitizen, evolveCitizen, initialCitizenState } from '#domain';
import { Authorizer, PersonalDataVault, type Actor } from '#platform';
import { ActionRequest } from '../shared/action-request.js';
import { onceCommandId } from '../shared/command-id.js';
import { CommandLog } from '../shared/command-log.js';
import type { CommandResult } from '../shared/command-result.js';
import { CommandHandling } from '../shared/handle-command.js';
import { IsFreeText } from '../shared/validators.js';
import { CitizenSubjects } from './citizen-subjects.js';

export class EraseCitizenDataRequest extends ActionRequest {
  @ApiProperty({
    description:
      "The citizen's reference as it was recorded with their assistance (personal data).",
    example: '001099012345',
  })
  // The rule of an assistance's citizenRef: not blank (stored references are trimmed, so a blank one
  // names no citizen and erasing it would record an erasure of nobody), at most 200 characters.
  @IsFreeText('citizenRef')
  citizenRef: string;
}

export class EraseCitizenDataCommand {
  constructor(
    readonly actor: Actor,
    readonly citizenRef: string,
    readonly idempotencyKey?: string,
  ) {}
}

const route = 'DELETE /citizens/personal-data';

/**
 * Crypto-shredding of a citizen (operators only): the key their references were sealed under is
 * destroyed, then CitizenDataErased is recorded on the citizen's stream. Only the pseudonymous subject
 * reaches the log and the command log, never the reference. The tree and chains cover the sealed form,
 * so every proof stays valid.
 */
@CommandHandler(EraseCitizenDataCommand)
export class EraseCitizenDataHandler implements ICommandHandler<
  EraseCitizenDataCommand,
  CommandResult
> {
  constructor(
    private readonly commands: CommandHandling,
    private readonly authorizer: Authorizer,
    private readonly vault: PersonalDataVault,
    private readonly citizens: CitizenSubjects,
    private readonly log: CommandLog,
  ) {}

  async execute({ actor, citizenRef, idempotencyKey }: EraseCitizenDataCommand) {
    this.authorizer.assertRole(actor, 'operator');
    const subjectId = this.citizens.of(citizenRef);
    const today = onceCommandId(idempotencyKey, 'erase', subjectId);
    return this.commands.handle(
      {
        route,
        commandId: today.commandId,
        formerIds: [
          ...(today.formerIds ?? []),
          ...this.beforeComposing(citizenRef, idempotencyKey),
        ],
        request: { subjectId },
        actor,
        id: subjectId,
        streamId: citizenStreamId(subjectId),
      },
      {
        evolve: evolveCitizen,
        initialState: initialCitizenState,
        decide: async (state, context, { requireIdFree }) => {
          const erased = decideCitizen(
            { type: 'EraseCitizenData', data: { subjectId } },
            state,
            context,
          );
          // The key goes first: should the append then fail, a resend finds it gone and records the
          // event. The idempotency log forgets the bodies that carried the reference, so a resend
          // cannot test a guess. A key another command holds is refused first, as the append would.
          await requireIdFree();
          for (const subject of this.citizens.erasedBy(citizenRef)) {
            await this.vault.destroy(subject);
            await this.log.forgetSubject(subject);
          }
          return erased;
        },
      },
    );
  }

  /**
   * How a version before references were composed (CitizenSubjects) recorded this erasure: under the
   * subject of the text as typed, its own stream and log row. Today's subject of a reference typed with
   * combining marks is another one, whose stream is empty, so a resend was decided afresh there: the
   * citizen erased a second time under another id, a 201 unlike the first.
   */
  private beforeComposing(citizenRef: string, idempotencyKey: string | undefined) {
    const former = this.citizens.formerOf(citizenRef);
    if (former === undefined) return [];
    const then = onceCommandId(idempotencyKey, 'erase', former);
    return [then, ...(then.formerIds ?? [])].map(({ commandId }) => ({
      commandId,
      request: { subjectId: former },
      streamId: citizenStreamId(former),
    }));
  }
}
