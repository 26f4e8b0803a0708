import { Exposure, SessionStatus } from '@medforge/shared-schema';
import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';

import { snapshotShortName } from '../adapters/workspace-store';
import type { SessionRow } from '../db/models/session.model';

@ObjectType({ description: 'A code-server + SSH container bound to one GPU, with its own workspace.' })
@Directive('@key(fields: "id")')
export class Session {
  @Field(() => ID)
  id!: string;

  @Field(() => Exposure)
  exposure!: Exposure;

  @Field(() => SessionStatus)
  status!: SessionStatus;

  @Field({ description: '8-character lowercase base32 name used in the session host name.' })
  slug!: string;

  @Field(() => Int, { nullable: true, description: 'Host port for SSH while the session is active.' })
  sshPort!: number | null;

  @Field(() => String, { nullable: true, description: 'Why the session ended in ERROR.' })
  errorMessage!: string | null;

  @Field(() => String, { nullable: true, description: 'ZFS snapshot of the home taken when the session stopped.' })
  snapshotName!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'The snapshot this session mounts read-only at /snapshot (short name), if it was started with one.',
  })
  viewedSnapshotName!: string | null;

  @Field()
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  startedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  stoppedAt!: Date | null;

  userId!: string;
  packId!: string;
  gpuId!: number;
  resourceLimits!: string | null;

  static from(row: SessionRow): Session {
    return Object.assign(new Session(), {
      id: row.id,
      exposure: row.exposure,
      status: row.status,
      slug: row.slug,
      sshPort: row.ssh_port,
      errorMessage: row.error_message,
      snapshotName: row.snapshot_name,
      viewedSnapshotName: row.viewed_snapshot ? snapshotShortName(row.viewed_snapshot) : null,
      createdAt: row.created_at,
      startedAt: row.started_at,
      stoppedAt: row.stopped_at,
      userId: row.user_id,
      packId: row.pack_id,
      gpuId: row.gpu_id,
      resourceLimits: row.resource_limits,
    });
  }
}
