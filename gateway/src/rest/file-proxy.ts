import http from 'node:http';

import { type Actor, CONTEXT_HEADER, isErrorCode, type Logger, signContext } from '@medforge/shared-schema';
import type { Request, Response } from 'express';

import { gatewayContextOf } from '../http/request-context';
import { sendProblem } from './respond';

/** Conditional and partial-content request headers a download passes on. */
const FORWARDED_REQUEST_HEADERS = ['range', 'if-range', 'if-none-match', 'if-modified-since'];
/** What a client needs from the file response: length, range, validators, digest, name. */
const FORWARDED_RESPONSE_HEADERS = [
  'content-type',
  'content-length',
  'content-range',
  'accept-ranges',
  'etag',
  'last-modified',
  'cache-control',
  'content-disposition',
  'repr-digest',
];
const STREAM_CHUNK_BYTES = 1024 * 1024;
/** A download may take long; only a silent upstream (no bytes for this long) is abandoned. */
const IDLE_TIMEOUT_MS = 60_000;

/**
 * Streams a file a subgraph serves under /http (dataset downloads) to the client: the caller's identity
 * goes along as a signed context, Range and conditional headers are passed on and the body is piped
 * with backpressure, so resuming, 206 and 304 work end to end. The subgraph's error bodies become
 * problem+json; a client that goes away aborts the upstream read.
 */
export class SubgraphFileProxy {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

  constructor(
    /** The subgraph's GraphQL URL; files live beside it under /http. */
    private readonly subgraphUrl: string,
    private readonly signingSecret: string,
    private readonly logger: Logger,
  ) {}

  forward(req: Request, res: Response, subpath: string): void {
    const context = gatewayContextOf(res);
    const url = new URL(`/http/${subpath}`, this.subgraphUrl);
    const headers: Record<string, string> = {
      [CONTEXT_HEADER]: this.sign(context.requestId, context.actor, context.clientIp),
    };
    for (const name of FORWARDED_REQUEST_HEADERS) {
      const value = req.header(name);
      if (value) headers[name] = value;
    }
    const upstream = http.request(url, {
      method: req.method === 'HEAD' ? 'HEAD' : 'GET',
      headers,
      agent: this.agent,
      // Larger socket reads than the 16 KiB default: a file moves in fewer chunks through this hop.
      highWaterMark: STREAM_CHUNK_BYTES,
    } as http.RequestOptions);
    upstream.setTimeout(IDLE_TIMEOUT_MS, () => upstream.destroy(new Error('file upstream went silent')));
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    upstream.on('response', (answer) => {
      const status = answer.statusCode ?? 502;
      if (status === 200 || status === 206 || status === 304) {
        res.status(status);
        for (const name of FORWARDED_RESPONSE_HEADERS) {
          const value = answer.headers[name];
          if (value !== undefined) res.setHeader(name, value);
        }
        answer.pipe(res);
        answer.on('error', () => res.destroy());
        return;
      }
      const chunks: Buffer[] = [];
      answer.on('data', (chunk: Buffer) => chunks.push(chunk));
      answer.on('end', () => {
        if (status === 416 && answer.headers['content-range'])
          res.setHeader('Content-Range', answer.headers['content-range']);
        const { code, message } = errorOf(Buffer.concat(chunks).toString('utf8'));
        if (code && code !== 'INTERNAL') return sendProblem(res, code, message);
        this.logger.error({ status, request_id: context.requestId, url: url.pathname }, 'file upstream failed');
        sendProblem(res, 'UPSTREAM_UNAVAILABLE', 'The file could not be read; try again');
      });
    });
    upstream.on('error', (error) => {
      if (res.headersSent) return void res.destroy();
      if (req.destroyed) return;
      this.logger.warn({ err: error, request_id: context.requestId }, 'file upstream unreachable');
      sendProblem(res, 'UPSTREAM_UNAVAILABLE', 'The file service is unavailable; try again');
    });
    upstream.end();
  }

  private sign(requestId: string, actor: Actor | null, clientIp: string | null): string {
    return signContext(
      { requestId, actor, ...(clientIp ? { clientIp } : {}), issuedAt: Date.now() },
      this.signingSecret,
    );
  }
}

function errorOf(body: string): { code: ReturnType<typeof codeOf>; message: string } {
  try {
    const first = (JSON.parse(body) as { errors?: Array<{ message?: string; extensions?: { code?: unknown } }> })
      .errors?.[0];
    return { code: codeOf(first?.extensions?.code), message: first?.message ?? 'Request failed' };
  } catch {
    return { code: null, message: 'Request failed' };
  }
}

function codeOf(value: unknown) {
  return isErrorCode(value) ? value : null;
}
