import { isAdmin, isOwnerOrAdmin } from '@medforge/shared-schema';
import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';

import type { SessionRuntimeContext } from '../context';
import { Gpu } from './gpu.type';
import { GpuReading } from './gpu-telemetry.type';

@Resolver(() => Gpu)
export class GpuTelemetryResolver {
  @FieldResolver(() => [GpuReading], {
    nullable: true,
    description:
      'Recent nvidia-smi readings, oldest first (about five minutes). Administrators see every GPU; others only ' +
      'the GPU their own active session holds (a past session does not show who uses it now). Null for virtual ' +
      'GPUs, which have no telemetry.',
  })
  async telemetry(@Root() gpu: Gpu, @Ctx() ctx: SessionRuntimeContext): Promise<GpuReading[] | null> {
    if (gpu.isVirtual || !ctx.services.telemetry.available) return null;
    if (!isAdmin(ctx.actor)) {
      const holder = (await ctx.gpuHolders()).get(gpu.index);
      if (!holder || !isOwnerOrAdmin(ctx.actor, holder.user_id)) return null;
    }
    return ctx.services.telemetry.history(gpu.index).map(GpuReading.from);
  }
}
