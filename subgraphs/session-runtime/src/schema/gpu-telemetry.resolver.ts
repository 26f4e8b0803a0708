import { DomainError, isAdmin, isOwnerOrAdmin, requireActor } from '@medforge/shared-schema';
import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';

import type { SessionRuntimeContext } from '../context';
import { Gpu } from './gpu.type';
import { GpuReading } from './gpu-telemetry.type';

@Resolver(() => Gpu)
export class GpuTelemetryResolver {
  @Query(() => Gpu, {
    description:
      'One GPU by its nvidia-smi index: administrators any; others only the GPU their own active session holds ' +
      '(NOT_FOUND otherwise, as for a GPU that does not exist).',
  })
  async gpu(@Arg('index', () => Int) index: number, @Ctx() ctx: SessionRuntimeContext): Promise<Gpu> {
    requireActor(ctx.actor);
    const notFound = () => new DomainError('NOT_FOUND', `No GPU ${index} that you can see`);
    if (!(await mayWatch(index, ctx))) throw notFound();
    const row = (await ctx.services.gpus.byIds([index])).get(index);
    if (!row) throw notFound();
    return Gpu.from(row);
  }

  @FieldResolver(() => [GpuReading], {
    nullable: true,
    description:
      'Recent nvidia-smi readings, oldest first (about five minutes). Administrators see every GPU; others only ' +
      'the GPU their own active session holds (a past session does not show who uses it now). Null for virtual ' +
      'GPUs, which have no telemetry.',
  })
  async telemetry(@Root() gpu: Gpu, @Ctx() ctx: SessionRuntimeContext): Promise<GpuReading[] | null> {
    if (gpu.isVirtual || !ctx.services.telemetry.available || !(await mayWatch(gpu.index, ctx))) return null;
    return ctx.services.telemetry.history(gpu.index).map(GpuReading.from);
  }
}

/** Administrators watch every GPU; others only the GPU their own active session holds now. */
async function mayWatch(index: number, ctx: SessionRuntimeContext): Promise<boolean> {
  if (isAdmin(ctx.actor)) return true;
  const holder = (await ctx.gpuHolders()).get(index);
  return holder !== undefined && isOwnerOrAdmin(ctx.actor, holder.user_id);
}
