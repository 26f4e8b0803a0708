import { requireActor, requireService } from '@medforge/shared-schema';
import { Arg, Ctx, Directive, Field, ID, Mutation, ObjectType, Query, Resolver } from 'type-graphql';

import type { IdentityContext } from '../context';
import { AddSshKeyInput, SshKey } from './ssh-key.type';

/** Session-runtime only (@inaccessible): how a session's owner is named in its notifications. */
@ObjectType()
@Directive('@inaccessible')
export class SessionOwnerContact {
  @Field(() => String, { nullable: true })
  email!: string | null;

  @Field(() => String, { nullable: true })
  displayName!: string | null;
}

@Resolver(() => SshKey)
export class SshKeyResolver {
  /** A session owner's email and public name, for the notifications session-runtime sends (its context only). */
  @Query(() => SessionOwnerContact)
  @Directive('@inaccessible')
  async sessionOwnerContact(
    @Arg('userId', () => ID) userId: string,
    @Ctx() ctx: IdentityContext,
  ): Promise<SessionOwnerContact> {
    requireService(ctx.service, 'session-runtime');
    const user = (await ctx.services.users.byIds([userId])).get(userId);
    return Object.assign(new SessionOwnerContact(), {
      email: user?.email ?? null,
      displayName: user?.display_name ?? null,
    });
  }

  /**
   * The public keys a session of `userId` accepts, for session-runtime's own service context only
   * (@inaccessible: absent from the public API). Session-runtime never signs as the user to read them.
   */
  @Query(() => [String])
  @Directive('@inaccessible')
  async sessionAuthorizedKeys(@Arg('userId', () => ID) userId: string, @Ctx() ctx: IdentityContext): Promise<string[]> {
    requireService(ctx.service, 'session-runtime');
    return (await ctx.services.sshKeys.list(userId)).map((key) => key.public_key);
  }

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
