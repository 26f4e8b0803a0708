import { requireActor } from '@medforge/shared-schema';
import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';

import type { IdentityContext } from '../context';
import { AddSshKeyInput, SshKey } from './ssh-key.type';

@Resolver(() => SshKey)
export class SshKeyResolver {
  @Mutation(() => SshKey, { description: 'Registers an SSH public key for your sessions.' })
  async addSshKey(@Arg('input') input: AddSshKeyInput, @Ctx() ctx: IdentityContext): Promise<SshKey> {
    const actor = requireActor(ctx.actor);
    return SshKey.from(await ctx.services.sshKeys.add(actor.userId, input.name, input.publicKey));
  }

  @Mutation(() => Boolean, { description: 'Removes one of your SSH keys.' })
  async deleteSshKey(@Arg('id', () => ID) id: string, @Ctx() ctx: IdentityContext): Promise<boolean> {
    const actor = requireActor(ctx.actor);
    await ctx.services.sshKeys.remove(actor.userId, id);
    return true;
  }
}
