import { requireActor } from '@medforge/shared-schema';
import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';

import type { SessionRuntimeContext } from '../context';
import type { ReservationInput } from '../services/gpu-reservations';
import { GpuReservation, GpuReservationInput } from './gpu-reservation.type';

const inputOf = (input: GpuReservationInput): ReservationInput => ({
  gpuIndex: input.gpuIndex ?? null,
  startsAt: input.startsAt,
  endsAt: input.endsAt,
  note: input.note.trim(),
});

@Resolver(() => GpuReservation)
export class GpuReservationResolver {
  @Query(() => [GpuReservation], { description: 'Your reservations and requests that have not ended, soonest first.' })
  async myGpuReservations(@Ctx() ctx: SessionRuntimeContext): Promise<GpuReservation[]> {
    const actor = requireActor(ctx.actor);
    return (await ctx.services.reservations.forUser(actor.userId)).map(GpuReservation.from);
  }

  @Query(() => [GpuReservation], {
    description: 'Admin: every reservation and request that has not ended (or ends after `since`), soonest first.',
  })
  async gpuReservations(
    @Ctx() ctx: SessionRuntimeContext,
    @Arg('since', () => Date, { nullable: true }) since: Date | null,
  ): Promise<GpuReservation[]> {
    return (await ctx.services.reservations.all(ctx.actor, since)).map(GpuReservation.from);
  }

  @Mutation(() => GpuReservation, {
    description: 'Asks for a GPU (or any GPU) for yourself over a window: REQUESTED until an administrator decides.',
  })
  async requestGpuReservation(
    @Arg('input', () => GpuReservationInput) input: GpuReservationInput,
    @Ctx() ctx: SessionRuntimeContext,
  ): Promise<GpuReservation> {
    return GpuReservation.from(await ctx.services.reservations.request(ctx.actor, inputOf(input)));
  }

  @Mutation(() => GpuReservation, {
    description:
      'Admin: books a GPU (or any GPU) for users over a window, APPROVED at once. CONFLICT names an approved booking it collides with.',
  })
  async bookGpuReservation(
    @Arg('input', () => GpuReservationInput) input: GpuReservationInput,
    @Arg('userIds', () => [ID]) userIds: string[],
    @Ctx() ctx: SessionRuntimeContext,
  ): Promise<GpuReservation> {
    return GpuReservation.from(await ctx.services.reservations.book(ctx.actor, inputOf(input), userIds));
  }

  @Mutation(() => GpuReservation, { description: 'Admin: approves or rejects a REQUESTED reservation.' })
  async decideGpuReservation(
    @Arg('id', () => ID) id: string,
    @Arg('approve') approve: boolean,
    @Ctx() ctx: SessionRuntimeContext,
  ): Promise<GpuReservation> {
    return GpuReservation.from(await ctx.services.reservations.decide(ctx.actor, id, approve));
  }

  @Mutation(() => GpuReservation, {
    description: 'Withdraws a reservation or request that has not ended (its requester, its one user, or an admin).',
  })
  async cancelGpuReservation(
    @Arg('id', () => ID) id: string,
    @Ctx() ctx: SessionRuntimeContext,
  ): Promise<GpuReservation> {
    return GpuReservation.from(await ctx.services.reservations.cancel(ctx.actor, id));
  }
}
