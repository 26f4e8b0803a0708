import { Model } from 'objection';

export type ReservationStatus = 'requested' | 'approved' | 'rejected' | 'cancelled';

/** A GPU (or any GPU: gpu_id null) booked for users over a window; who may use it: gpu_reservation_users. */
export class GpuReservationRow extends Model {
  static override tableName = 'gpu_reservations';

  id!: string;
  gpu_id!: number | null;
  starts_at!: Date;
  ends_at!: Date;
  status!: ReservationStatus;
  note!: string;
  requested_by!: string;
  decided_by!: string | null;
  decided_at!: Date | null;
  created_at!: Date;
}
