import { Field, Float, ID, ObjectType, registerEnumType } from 'type-graphql';

import { snapshotShortName } from '../ports/workspace-store';
import type { SnapshotView } from '../services/workspace-snapshots';
import { Session } from './session.type';

export enum SnapshotReason {
  STOP = 'stop',
  LOST = 'lost',
  SAFETY = 'safety',
}
registerEnumType(SnapshotReason, {
  name: 'SnapshotReason',
  description:
    'STOP: taken when a session stopped. LOST: taken when a session ended unexpectedly. SAFETY: the home just before a restore.',
});

@ObjectType({ description: 'A read-only copy of your home (/workspace) as it was when a session ended.' })
export class WorkspaceSnapshot {
  @Field(() => ID)
  id!: string;

  @Field({ description: 'Short name, e.g. stop-1764748800000-ab12cd34 (time in ms and the session slug).' })
  name!: string;

  @Field()
  createdAt!: Date;

  @Field(() => SnapshotReason)
  reason!: SnapshotReason;

  @Field(() => Float, { nullable: true, description: 'Size of the files it holds, in bytes; null if unknown.' })
  sizeBytes!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Bytes that deleting it frees (blocks no other snapshot or the live home shares); null if unknown.',
  })
  uniqueBytes!: number | null;

  @Field(() => Session, { nullable: true, description: 'The session whose end took it.' })
  session!: Session | null;

  static from(view: SnapshotView): WorkspaceSnapshot {
    const { row, space, session } = view;
    return Object.assign(new WorkspaceSnapshot(), {
      id: row.id,
      name: snapshotShortName(row.name),
      createdAt: row.created_at,
      reason: row.reason as SnapshotReason,
      sizeBytes: space?.referencedBytes ?? null,
      uniqueBytes: space?.uniqueBytes ?? null,
      session: session ? Session.from(session) : null,
    });
  }
}
