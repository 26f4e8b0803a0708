import { Field, Int, ObjectType } from 'type-graphql';

import type { GpuDeviceRow } from '../db/models/gpu-device.model';

@ObjectType({ description: 'A GPU of the host (or a virtual one on hosts without GPUs).' })
export class Gpu {
  @Field(() => Int, { description: 'nvidia-smi index.' })
  index!: number;

  @Field()
  uuid!: string;

  @Field()
  name!: string;

  @Field(() => Int)
  memoryMib!: number;

  @Field({ description: 'Disabled GPUs are never allocated.' })
  enabled!: boolean;

  @Field({ description: 'False when the device vanished from the inventory.' })
  present!: boolean;

  @Field({ description: 'Exists only as a row (development, CI): no device is bound.' })
  isVirtual!: boolean;

  static from(row: GpuDeviceRow): Gpu {
    return Object.assign(new Gpu(), {
      index: row.id,
      uuid: row.uuid,
      name: row.name,
      memoryMib: row.memory_mib,
      enabled: row.enabled,
      present: row.present,
      isVirtual: row.is_virtual,
    });
  }
}
