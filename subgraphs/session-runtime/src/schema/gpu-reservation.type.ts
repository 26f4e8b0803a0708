import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';

import type { Reservation } from '../services/gpu-reservations';
import { User } from './user.type';

export enum ReservationStatus {
  REQUESTED = 'requested',
  APPROVED = 'approved',
  REJECTED = 'rejected',
  CANCELLED = 'cancelled',
}
registerEnumType(ReservationStatus, {
  name: 'ReservationStatus',
  description: 'REQUESTED (awaiting an administrator) → APPROVED or REJECTED; either of the first two → CANCELLED.',
});

@InputType({ description: 'A window on a GPU (or on any GPU).' })
export class GpuReservationInput {
  @Field(() => Int, { nullable: true, description: "The GPU's index; null: any GPU." })
  gpuIndex!: number | null;

  @Field({ description: 'When it opens; not in the past.' })
  startsAt!: Date;

  @Field({ description: 'When it closes; at most RESERVATION_MAX_HOURS after it opens.' })
  endsAt!: Date;

  @Field({
    defaultValue: '',
    description: 'What it is for ("MICCAI deadline", "course week 3"), up to 200 characters.',
  })
  note!: string;
}

@ObjectType({ description: 'A GPU (or any GPU) booked for users over a window.' })
export class GpuReservation {
  @Field(() => ID)
  id!: string;

  @Field(() => Int, { nullable: true, description: "The GPU's index; null: any GPU." })
  gpuIndex!: number | null;

  @Field()
  startsAt!: Date;

  @Field()
  endsAt!: Date;

  @Field(() => ReservationStatus)
  status!: ReservationStatus;

  @Field()
  note!: string;

  @Field(() => [User], { description: 'Who may use it.' })
  users!: User[];

  @Field(() => User, { description: 'Who asked for it (an administrator, for a booking made directly).' })
  requestedBy!: User;

  @Field()
  createdAt!: Date;

  static from({ row, userIds }: Reservation): GpuReservation {
    const user = (id: string) => Object.assign(new User(), { id });
    return Object.assign(new GpuReservation(), {
      id: row.id,
      gpuIndex: row.gpu_id,
      startsAt: row.starts_at,
      endsAt: row.ends_at,
      status: row.status as ReservationStatus,
      note: row.note,
      users: userIds.map(user),
      requestedBy: user(row.requested_by),
      createdAt: row.created_at,
    });
  }
}
