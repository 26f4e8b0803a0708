import { type Cipheriv, createCipheriv, createHmac } from 'node:crypto';

/** What the generators draw from: uniform numbers and integers. */
export interface RandomStream {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max]. */
  int(min: number, max: number): number;
}

const POOL_BYTES = 4096;
// Taken once: generation calls these millions of times, and a global lookup per call is slow in a vm
// context (jest's) where V8 cannot inline it.
const { floor } = Math;
const TWO_POW_53 = 2 ** 53;

/**
 * A deterministic random stream keyed by the whole secret: the AES-256-CTR keystream under the key
 * HMAC-SHA256(secret, purpose). Its hidden state is that 256-bit key, so nothing short of the secret
 * reproduces it, and streams of different purposes are independent: what one of them reveals (public ids,
 * features) says nothing of another (the hidden labels). The same secret and purpose give the same bytes
 * on every machine and Node.js version, so an operator holding the secret can rebuild what was drawn.
 */
export class KeyedRandom implements RandomStream {
  private readonly cipher: Cipheriv;
  private pool = Buffer.alloc(0);
  private offset = 0;

  constructor(secretHex: string, purpose: string) {
    if (!/^[0-9a-f]{64}$/.test(secretHex)) throw new Error('the secret must be 32 random bytes in hex');
    const key = createHmac('sha256', Buffer.from(secretHex, 'hex')).update(purpose, 'utf8').digest();
    this.cipher = createCipheriv('aes-256-ctr', key, Buffer.alloc(16));
  }

  /** The next `length` bytes of the stream. */
  bytes(length: number): Buffer {
    const fromPool = Math.min(length, this.pool.length - this.offset);
    const head = this.pool.subarray(this.offset, this.offset + fromPool);
    this.offset += fromPool;
    if (fromPool === length) return head;
    const rest = length - fromPool;
    if (rest >= POOL_BYTES) return Buffer.concat([head, this.cipher.update(Buffer.alloc(rest))]);
    this.pool = this.cipher.update(Buffer.alloc(POOL_BYTES));
    this.offset = rest;
    return Buffer.concat([head, this.pool.subarray(0, rest)]);
  }

  /** Uniform in [0, 1) with 53 random bits. */
  next(): number {
    const b = this.bytes(8);
    return (b.readUInt32BE(0) * 2 ** 21 + (b.readUInt32BE(4) >>> 11)) / TWO_POW_53;
  }

  /** Integer in [min, max] (bias below 2^-40 for any range used here). */
  int(min: number, max: number): number {
    return min + floor(this.next() * (max - min + 1));
  }

  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = floor(this.next() * (i + 1));
      [items[i], items[j]] = [items[j]!, items[i]!];
    }
    return items;
  }

  /** A version-4 UUID, as RSNA patient ids are. */
  uuid(): string {
    const b = Buffer.from(this.bytes(16));
    b[6] = (b[6]! & 0x0f) | 0x40;
    b[8] = (b[8]! & 0x3f) | 0x80;
    const s = b.toString('hex');
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
  }
}
