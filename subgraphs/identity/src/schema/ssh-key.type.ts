import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';

import type { SshKeyRow } from '../db/models/ssh-key.model';

@ObjectType({ description: 'An SSH public key allowed to log in to the owner’s sessions.' })
export class SshKey {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field({ description: 'e.g. ssh-ed25519' })
  keyType!: string;

  @Field({ description: 'OpenSSH SHA256 fingerprint, as `ssh-keygen -lf` prints it.' })
  fingerprint!: string;

  @Field(() => Int, { nullable: true, description: 'Modulus size for RSA keys.' })
  bits!: number | null;

  @Field({ description: 'The key as installed into authorized_keys.' })
  publicKey!: string;

  @Field()
  createdAt!: Date;

  static from(row: SshKeyRow): SshKey {
    return Object.assign(new SshKey(), {
      id: row.id,
      name: row.name,
      keyType: row.key_type,
      fingerprint: row.fingerprint,
      bits: row.bits,
      publicKey: row.public_key,
      createdAt: row.created_at,
    });
  }
}

@InputType()
export class AddSshKeyInput {
  @Field({ description: 'A label such as "laptop".' })
  name!: string;

  @Field({ description: 'One OpenSSH public key line, e.g. the contents of ~/.ssh/id_ed25519.pub.' })
  publicKey!: string;
}
