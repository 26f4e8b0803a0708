import { randomUUID } from 'node:crypto';

import {
  ACTIVE_SESSION_STATUSES,
  type Actor,
  type Clock,
  DomainError,
  isOwnerOrAdmin,
  type Knex,
  type Logger,
  requireActor,
  requireAdmin,
  systemClock,
} from '@medforge/shared-schema';

import { GpuReservationRow, type ReservationStatus } from '../db/models/gpu-reservation.model';
import { type AllocationHolds, type HoldingReservation, holdsFor, overlaps } from './reservation-holds';

export interface ReservationSettings {
  /** The longest window one reservation may have. */
  maxHours: number;
  /** A booked GPU is held back from others this long before its window opens. */
  noticeMs: number;
}

export interface ReservationInput {
  /** The GPU's index; null: any GPU. */
  gpuIndex: number | null;
  startsAt: Date;
  endsAt: Date;
  note: string;
}

export interface Reservation {
  row: GpuReservationRow;
  userIds: string[];
}

const MAX_USERS = 100;
const MAX_NOTE = 200;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * GPU reservations: users ask for a GPU (or any GPU) over a window and administrators approve, or
 * administrators book one for a user or a group directly. Approved bookings never overlap on a GPU, nor
 * add up to more GPUs than are enabled at any time; a refused booking names what it collides with.
 * Allocation (`holds`) keeps booked GPUs from others from `noticeMs` before a window opens, and gives them
 * to the booked users' starts inside it; the reaper stops others' sessions on a booked GPU as it opens.
 */
export class GpuReservations {
  constructor(
    private readonly knex: Knex,
    private readonly settings: ReservationSettings,
    private readonly logger: Logger,
    private readonly clock: Clock = systemClock,
  ) {}

  /** A user asks for a GPU for themselves: REQUESTED until an administrator decides. */
  async request(actor: Actor | null, input: ReservationInput): Promise<Reservation> {
    const user = requireActor(actor);
    await this.check(input);
    const reservation = await this.insert(input, [user.userId], user.userId, 'requested');
    this.logger.info({ user_id: user.userId, reservation_id: reservation.row.id }, 'GPU reservation requested');
    return reservation;
  }

  /** An administrator books a GPU for users: APPROVED at once, when it collides with no approved booking. */
  async book(actor: Actor | null, input: ReservationInput, userIds: readonly string[]): Promise<Reservation> {
    const admin = requireAdmin(actor);
    const users = checkedUsers(userIds);
    return await this.knex.transaction(async (trx) => {
      await this.lockBookings(trx);
      await this.check(input, trx);
      const reservation = await this.insert(input, users, admin.userId, 'approved', trx, admin.userId);
      this.logger.info({ admin_id: admin.userId, reservation_id: reservation.row.id }, 'GPU reservation booked');
      return reservation;
    });
  }

  /** An administrator approves or rejects a request; approving checks for collisions again. */
  async decide(actor: Actor | null, id: string, approve: boolean): Promise<Reservation> {
    const admin = requireAdmin(actor);
    return await this.knex.transaction(async (trx) => {
      await this.lockBookings(trx);
      const found = await this.load(id, trx);
      if (found.row.status !== 'requested') {
        throw new DomainError(
          'CONFLICT',
          `Reservation ${id} is not awaiting a decision (it is ${found.row.status.toUpperCase()})`,
          { status: found.row.status.toUpperCase() },
        );
      }
      if (approve) await this.check(inputOf(found.row), trx, id);
      await GpuReservationRow.query(trx)
        .findById(id)
        .patch({ status: approve ? 'approved' : 'rejected', decided_by: admin.userId, decided_at: this.clock.now() });
      this.logger.info({ admin_id: admin.userId, reservation_id: id, approve }, 'GPU reservation decided');
      return await this.load(id, trx);
    });
  }

  /** Its requester, one of its users or an administrator withdraws a booking that has not ended. */
  async cancel(actor: Actor | null, id: string): Promise<Reservation> {
    const user = requireActor(actor);
    const found = await this.load(id);
    // Its requester, an administrator, or the one user it is for (a group's booking is the admin's to undo).
    const mayCancel =
      isOwnerOrAdmin(user, found.row.requested_by) || (found.userIds.length === 1 && found.userIds[0] === user.userId);
    if (!mayCancel) throw new DomainError('NOT_FOUND', `No reservation with id ${id}`);
    if (!['requested', 'approved'].includes(found.row.status) || found.row.ends_at <= this.clock.now()) {
      throw new DomainError(
        'CONFLICT',
        `Reservation ${id} cannot be cancelled (it is ${statusWord(found.row, this.clock.now())})`,
      );
    }
    await GpuReservationRow.query(this.knex).findById(id).patch({ status: 'cancelled' });
    return await this.load(id);
  }

  /** Bookings a user is on or asked for that have not ended, soonest first. */
  async forUser(userId: string): Promise<Reservation[]> {
    const ids = this.knex('gpu_reservation_users').where({ user_id: userId }).select('reservation_id');
    const rows = await GpuReservationRow.query(this.knex)
      .where((q) => q.whereIn('id', ids).orWhere({ requested_by: userId }))
      .where('ends_at', '>', this.clock.now())
      .orderBy('starts_at');
    return await this.withUsers(rows);
  }

  /** Every booking that has not ended (or every one since `since`), soonest first (administrators). */
  async all(actor: Actor | null, since: Date | null): Promise<Reservation[]> {
    requireAdmin(actor);
    const rows = await GpuReservationRow.query(this.knex)
      .where('ends_at', '>', since ?? this.clock.now())
      .orderBy('starts_at');
    return await this.withUsers(rows);
  }

  /** What approved bookings mean for a start of `userId` now (within the allocation's transaction). */
  async holds(userId: string, db: Knex = this.knex): Promise<AllocationHolds> {
    const now = this.clock.now();
    const [holding, activeUsers] = await Promise.all([this.holding(now, db), this.activeUsers(db)]);
    return holdsFor(userId, holding, now, this.settings.noticeMs, activeUsers);
  }

  /** Approved bookings holding GPUs now (their window open, or opening within the notice). */
  async holding(now: Date, db: Knex = this.knex): Promise<HoldingReservation[]> {
    const rows = await GpuReservationRow.query(db)
      .where({ status: 'approved' })
      .where('ends_at', '>', now)
      .where('starts_at', '<=', new Date(now.getTime() + this.settings.noticeMs));
    return (await this.withUsers(rows)).map(holdingOf);
  }

  /** Users with an active session now. */
  async activeUsers(db: Knex = this.knex): Promise<Set<string>> {
    return new Set(await db('sessions').whereIn('status', ACTIVE_SESSION_STATUSES).distinct().pluck('user_id'));
  }

  /**
   * When the GPU `gpuId` is booked for others than `userId` from, the earliest such window still to
   * close, if it opens before `until`: the reaper stops that user's session there.
   */
  async bookedForOthersFrom(gpuId: number, userId: string, now: Date, until: Date): Promise<Date | null> {
    const rows = await GpuReservationRow.query(this.knex)
      .where({ status: 'approved', gpu_id: gpuId })
      .where('ends_at', '>', now)
      .where('starts_at', '<=', until)
      .orderBy('starts_at');
    for (const { row, userIds } of await this.withUsers(rows)) {
      if (!userIds.includes(userId)) return row.starts_at;
    }
    return null;
  }

  /** The window, the note and the GPU checked, then collisions with approved bookings (but `ignore`). */
  private async check(input: ReservationInput, db: Knex = this.knex, ignore: string | null = null): Promise<void> {
    const now = this.clock.now();
    if (!(input.endsAt > input.startsAt)) {
      throw new DomainError('BAD_USER_INPUT', 'A reservation must end after it starts', { field: 'endsAt' });
    }
    if (input.startsAt < now) {
      throw new DomainError('BAD_USER_INPUT', 'A reservation cannot start in the past', { field: 'startsAt' });
    }
    const hours = (input.endsAt.getTime() - input.startsAt.getTime()) / 3_600_000;
    if (hours > this.settings.maxHours) {
      throw new DomainError('BAD_USER_INPUT', `A reservation lasts at most ${this.settings.maxHours} hours`, {
        field: 'endsAt',
        maxHours: this.settings.maxHours,
      });
    }
    if (input.note.length > MAX_NOTE || /\p{C}/u.test(input.note)) {
      throw new DomainError('BAD_USER_INPUT', `The note is at most ${MAX_NOTE} printable characters`, {
        field: 'note',
      });
    }
    const enabled = (await db('gpu_devices').where({ enabled: true, present: true }).pluck('id')) as number[];
    if (input.gpuIndex !== null && !(await db('gpu_devices').where({ id: input.gpuIndex }).first('id'))) {
      throw new DomainError('NOT_FOUND', `No GPU with index ${input.gpuIndex}`);
    }
    const overlapping = (
      await GpuReservationRow.query(db)
        .where({ status: 'approved' })
        .where('starts_at', '<', input.endsAt)
        .where('ends_at', '>', input.startsAt)
    ).filter((row) => row.id !== ignore && overlaps({ startsAt: row.starts_at, endsAt: row.ends_at }, input));
    const sameGpu = input.gpuIndex === null ? undefined : overlapping.find((row) => row.gpu_id === input.gpuIndex);
    if (sameGpu) {
      throw new DomainError(
        'CONFLICT',
        `GPU ${input.gpuIndex} is already reserved from ${when(sameGpu.starts_at)} to ${when(sameGpu.ends_at)} (reservation ${sameGpu.id})`,
        { reservationId: sameGpu.id },
      );
    }
    if (overlapping.length + 1 > enabled.length) {
      throw new DomainError(
        'CONFLICT',
        `Every enabled GPU (${enabled.length}) is already reserved at some time in this window: ${overlapping.length} reservation(s) overlap it, the first from ${when(overlapping[0]!.starts_at)} to ${when(overlapping[0]!.ends_at)}`,
        { reservationIds: overlapping.map((row) => row.id) },
      );
    }
  }

  /** Bookings are decided one at a time: two approvals racing cannot both take the last GPU. */
  private async lockBookings(trx: Knex.Transaction): Promise<void> {
    await trx('session_queue_lock').where({ id: 1 }).forUpdate().first('id');
  }

  private async insert(
    input: ReservationInput,
    userIds: readonly string[],
    requestedBy: string,
    status: ReservationStatus,
    db: Knex = this.knex,
    decidedBy: string | null = null,
  ): Promise<Reservation> {
    const id = randomUUID();
    await db('gpu_reservations').insert({
      id,
      gpu_id: input.gpuIndex,
      starts_at: input.startsAt,
      ends_at: input.endsAt,
      status,
      note: input.note,
      requested_by: requestedBy,
      decided_by: decidedBy,
      decided_at: decidedBy ? this.clock.now() : null,
    });
    await db('gpu_reservation_users').insert(userIds.map((user_id) => ({ reservation_id: id, user_id })));
    return await this.load(id, db);
  }

  private async load(id: string, db: Knex = this.knex): Promise<Reservation> {
    const row = UUID.test(id) ? await GpuReservationRow.query(db).findById(id) : undefined;
    if (!row) throw new DomainError('NOT_FOUND', `No reservation with id ${id}`);
    return (await this.withUsers([row], db))[0]!;
  }

  private async withUsers(rows: GpuReservationRow[], db: Knex = this.knex): Promise<Reservation[]> {
    if (rows.length === 0) return [];
    const links = (await db('gpu_reservation_users')
      .whereIn(
        'reservation_id',
        rows.map((row) => row.id),
      )
      .select('reservation_id', 'user_id')) as Array<{ reservation_id: string; user_id: string }>;
    return rows.map((row) => ({
      row,
      userIds: links.filter((link) => link.reservation_id === row.id).map((link) => link.user_id),
    }));
  }
}

function checkedUsers(userIds: readonly string[]): string[] {
  const unique = [...new Set(userIds)];
  if (unique.length === 0 || unique.length > MAX_USERS || !unique.every((id) => UUID.test(id))) {
    throw new DomainError('BAD_USER_INPUT', `A reservation is for 1-${MAX_USERS} users, named by their ids`, {
      field: 'userIds',
    });
  }
  return unique;
}

function inputOf(row: GpuReservationRow): ReservationInput {
  return { gpuIndex: row.gpu_id, startsAt: row.starts_at, endsAt: row.ends_at, note: row.note };
}

function holdingOf({ row, userIds }: Reservation): HoldingReservation {
  return { id: row.id, gpuId: row.gpu_id, startsAt: row.starts_at, endsAt: row.ends_at, userIds };
}

function statusWord(row: GpuReservationRow, now: Date): string {
  return row.ends_at <= now && row.status === 'approved' ? 'OVER' : row.status.toUpperCase();
}

/** "2026-12-10 09:00 UTC". */
function when(at: Date): string {
  return `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
