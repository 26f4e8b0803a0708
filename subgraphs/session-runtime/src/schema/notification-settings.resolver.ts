import { requireAdmin } from '@medforge/shared-schema';
import { Arg, Ctx, Field, Mutation, ObjectType, Query, Resolver } from 'type-graphql';

import type { SessionRuntimeContext } from '../context';

@ObjectType({ description: 'Where the installation sends notifications beyond the console (admins set it).' })
export class NotificationSettings {
  @Field(() => String, {
    nullable: true,
    description:
      'A URL that receives a JSON POST for each warning of a coming session stop (user, session, time); null: none.',
  })
  webhookUrl!: string | null;
}

@Resolver()
export class NotificationSettingsResolver {
  @Query(() => NotificationSettings, { description: 'Admin: the notification webhook.' })
  async notificationSettings(@Ctx() ctx: SessionRuntimeContext): Promise<NotificationSettings> {
    requireAdmin(ctx.actor);
    return Object.assign(new NotificationSettings(), {
      webhookUrl: await ctx.services.notificationSettings.webhookUrl(),
    });
  }

  @Mutation(() => NotificationSettings, {
    description:
      'Admin: sets the notification webhook (https; plain http only to a loopback address outside production), or removes it with null.',
  })
  async setNotificationWebhook(
    @Arg('url', () => String, { nullable: true }) url: string | null,
    @Ctx() ctx: SessionRuntimeContext,
  ): Promise<NotificationSettings> {
    const webhookUrl = await ctx.services.notificationSettings.setWebhookUrl(ctx.actor, url);
    return Object.assign(new NotificationSettings(), { webhookUrl });
  }
}
