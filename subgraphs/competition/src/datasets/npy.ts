/**
 * NumPy's .npy format, version 1.0 (numpy.lib.format): the magic string, a little-endian header length,
 * and a Python dict literal padded so the data starts on a 64-byte boundary. Only uint8 arrays in C order
 * are written or read here: that is all the image datasets need, and `numpy.load` reads them as is.
 */
const MAGIC = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 0x01, 0x00]);
const PREAMBLE = MAGIC.length + 2;
const ALIGN = 64;

export function npyHeader(shape: readonly number[]): Buffer {
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  const dict = `{'descr': '|u1', 'fortran_order': False, 'shape': (${dims}), }`;
  const padding = ALIGN - ((PREAMBLE + dict.length + 1) % ALIGN);
  const text = `${dict}${' '.repeat(padding % ALIGN)}\n`;
  const length = Buffer.alloc(2);
  length.writeUInt16LE(text.length);
  return Buffer.concat([MAGIC, length, Buffer.from(text, 'latin1')]);
}

export interface NpyDescription {
  dtype: string;
  fortranOrder: boolean;
  shape: number[];
  /** Where the array data starts. */
  dataOffset: number;
}

/** Reads the header of a .npy file (its first bytes); null when they are not one. */
export function readNpyHeader(head: Buffer): NpyDescription | null {
  if (head.length < PREAMBLE || head[0] !== 0x93 || head.toString('latin1', 1, 6) !== 'NUMPY') return null;
  const major = head[6];
  const lengthBytes = major === 1 ? 2 : 4;
  const length = major === 1 ? head.readUInt16LE(8) : head.readUInt32LE(8);
  const start = 8 + lengthBytes;
  if (head.length < start + length) return null;
  const dict = head.toString('latin1', start, start + length);
  const dtype = /'descr':\s*'([^']+)'/.exec(dict)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(dict)?.[1];
  const shape = /'shape':\s*\(([^)]*)\)/.exec(dict)?.[1];
  if (!dtype || !fortran || shape === undefined) return null;
  return {
    dtype,
    fortranOrder: fortran === 'True',
    shape: shape
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map(Number),
    dataOffset: start + length,
  };
}
