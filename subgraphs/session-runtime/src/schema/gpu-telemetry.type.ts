import { Field, Float, Int, ObjectType } from 'type-graphql';

import type { GpuSample } from '../ports/gpu-telemetry';

@ObjectType({ description: 'One nvidia-smi reading of a GPU; a metric the device does not report is null.' })
export class GpuReading {
  @Field()
  at!: Date;

  @Field(() => Int, { nullable: true })
  utilizationPercent!: number | null;

  @Field(() => Int, { nullable: true })
  memoryUsedMib!: number | null;

  @Field(() => Int, { nullable: true })
  memoryTotalMib!: number | null;

  @Field(() => Int, { nullable: true })
  temperatureC!: number | null;

  @Field(() => Float, { nullable: true })
  powerW!: number | null;

  static from(sample: GpuSample): GpuReading {
    const { index: _index, ...reading } = sample;
    return Object.assign(new GpuReading(), reading);
  }
}
