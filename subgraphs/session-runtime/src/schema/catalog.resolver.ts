import { Ctx, Query, Resolver } from 'type-graphql';

import type { SessionRuntimeContext } from '../context';
import { GpuAvailability } from './gpu-availability.type';
import { Pack } from './pack.type';

@Resolver()
export class CatalogResolver {
  @Query(() => [Pack], { description: 'Session images that can be started.' })
  async packs(@Ctx() ctx: SessionRuntimeContext): Promise<Pack[]> {
    return (await ctx.services.packs.listAvailable()).map(Pack.from);
  }

  @Query(() => GpuAvailability)
  gpuAvailability(@Ctx() ctx: SessionRuntimeContext): Promise<GpuAvailability> {
    return ctx.services.gpus.availability();
  }
}
