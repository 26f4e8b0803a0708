import { DomainError } from '@medforge/shared-schema';
import busboy from 'busboy';
import type { Request } from 'express';

const HEAD_BYTES = 16 * 1024;

export interface UploadedFile {
  filename: string;
  bytes: Buffer;
}

/**
 * Streams the one file field of a multipart/form-data request into memory, stopping as soon as it passes
 * `maxBytes` (so an oversized upload costs at most that much), and rejecting anything that is not exactly
 * one file in `field`.
 */
export function readMultipartFile(req: Request, field: string, maxBytes: number): Promise<UploadedFile> {
  const type = req.headers['content-type'] ?? '';
  if (!/^multipart\/form-data\s*;/i.test(type)) {
    return Promise.reject(
      new DomainError('UNSUPPORTED_MEDIA_TYPE', `Send the CSV as multipart/form-data in a field named "${field}"`),
    );
  }
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      // Browsers send a file name as raw UTF-8 in the part header; busboy reads latin1 unless told.
      parser = busboy({
        headers: req.headers,
        defParamCharset: 'utf8',
        limits: { files: 1, fileSize: maxBytes, fields: 10, parts: 12 },
      });
    } catch (error) {
      reject(new DomainError('BAD_USER_INPUT', `Malformed multipart request: ${(error as Error).message}`));
      return;
    }
    let file: UploadedFile | null = null;
    let settled = false;
    const settle = (error: DomainError | null) => {
      if (settled) return;
      settled = true;
      if (!error) return resolve(file!);
      // Answer now; whatever the client still sends is drained, not parsed.
      req.unpipe(parser);
      req.resume();
      reject(error);
    };
    parser.on('file', (name, stream, info) => {
      if (name !== field) {
        stream.resume();
        settle(new DomainError('BAD_USER_INPUT', `Unexpected file field "${name}"; send the CSV in "${field}"`));
        return;
      }
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('limit', () =>
        settle(new DomainError('PAYLOAD_TOO_LARGE', `The file is larger than ${maxBytes} bytes`, { maxBytes })),
      );
      stream.on('end', () => {
        file ??= { filename: formFilename(info.filename ?? ''), bytes: Buffer.concat(chunks) };
      });
    });
    parser.on('filesLimit', () => settle(new DomainError('BAD_USER_INPUT', 'Send exactly one file')));
    parser.on('error', (error: Error) =>
      settle(new DomainError('BAD_USER_INPUT', `Malformed multipart request: ${error.message}`)),
    );
    // The start of the body, to say why a part busboy could not read was skipped (see unreadablePart).
    let head = '';
    const keepHead = (chunk: Buffer) => {
      head += chunk.toString('latin1', 0, Math.min(chunk.length, HEAD_BYTES - head.length));
      if (head.length >= HEAD_BYTES) req.off('data', keepHead);
    };
    req.on('data', keepHead);
    parser.on('close', () =>
      settle(
        file
          ? null
          : new DomainError('BAD_USER_INPUT', unreadablePart(head, field) ?? `No file in the field "${field}"`),
      ),
    );
    req.on('aborted', () => settle(new DomainError('BAD_USER_INPUT', 'The upload was interrupted')));
    req.pipe(parser);
  });
}

/**
 * busboy skips a part whose Content-Disposition it cannot parse, e.g. a file name with a bare double
 * quote (browsers send `%22`, curl `\"`); the client is told that, not that no file came.
 */
function unreadablePart(head: string, field: string): string | null {
  for (const line of head.split('\r\n')) {
    if (!/^content-disposition:/i.test(line) || !line.includes(`name="${field}"`)) continue;
    if (!/filename\*?=/i.test(line)) return null;
    return (
      `The Content-Disposition of the part "${field}" cannot be read (${JSON.stringify(line.slice(0, 200))}); ` +
      'a double quote in a file name must be sent as %22 or \\" (browsers and curl do)'
    );
  }
  return null;
}

/** Browsers escape `"`, CR and LF in a file name as %22, %0D and %0A (the HTML standard); undone here. */
function formFilename(raw: string): string {
  return raw.replace(/%22|%0d|%0a/gi, (escape) => decodeURIComponent(escape));
}
