import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';

import { snapshotShortName } from '../ports/workspace-store';
import type { HomeRestoreRow } from '../db/models/home-restore.model';

export enum HomeRestoreStatus {
  RUNNING = 'running',
  DONE = 'done',
  FAILED = 'failed',
}
registerEnumType(HomeRestoreStatus, {
  name: 'HomeRestoreStatus',
  description:
    'RUNNING: sessions cannot start until it ends. DONE: the home holds the snapshot. FAILED: see errorMessage.',
});

@ObjectType({ description: "A snapshot being (or having been) restored into its owner's home." })
export class HomeRestore {
  @Field(() => ID)
  id!: string;

  @Field(() => HomeRestoreStatus)
  status!: HomeRestoreStatus;

  @Field({ description: 'The snapshot restored (short name).' })
  snapshotName!: string;

  @Field(() => String, {
    nullable: true,
    description: 'The snapshot of the home as it was just before (short name): restore it to undo.',
  })
  safetySnapshotName!: string | null;

  @Field(() => String, { nullable: true })
  errorMessage!: string | null;

  @Field()
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  finishedAt!: Date | null;

  static from(row: HomeRestoreRow): HomeRestore {
    return Object.assign(new HomeRestore(), {
      id: row.id,
      status: row.status as HomeRestoreStatus,
      snapshotName: snapshotShortName(row.snapshot_name),
      safetySnapshotName: row.safety_snapshot ? snapshotShortName(row.safety_snapshot) : null,
      errorMessage: row.error_message,
      createdAt: row.created_at,
      finishedAt: row.finished_at,
    });
  }
}
