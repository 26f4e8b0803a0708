import path from 'node:path';

import { type Logger, type RequestContextClaims } from '@medforge/shared-schema';
import { type Request, type Response, Router } from 'express';

import { isDatasetPart } from '../datasets/dataset-layout';
import { isPlainFileName } from '../datasets/dataset-manifest';
import type { DatasetFiles } from '../services/dataset-files';

/** A GraphQL-shaped error body, as the subgraph answers everything else; the gateway turns it into problem+json. */
function refuse(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ errors: [{ message, extensions: { code } }] });
}

/**
 * GET|HEAD /http/datasets/:dataset/files/:part/:name — one file a manifest lists, streamed with Range,
 * If-Range and conditional requests (the `send` module behind res.sendFile), a strong ETag and
 * `Repr-Digest` from the manifest's SHA-256. Signed-in users only; nothing outside a manifest is served.
 */
export function datasetDownloadRoutes(files: DatasetFiles, logger: Logger): Router {
  const router = Router();
  router.get('/datasets/:dataset/files/:part/:name', (req: Request, res: Response) => {
    const claims = res.locals['claims'] as RequestContextClaims;
    if (!claims.actor) return refuse(res, 401, 'UNAUTHENTICATED', 'Sign in to download dataset files');
    const { dataset, part, name } = req.params as Record<string, string>;
    if (!/^[a-z0-9][a-z0-9-]{0,63}$/.test(dataset!) || !isDatasetPart(part!) || !isPlainFileName(name)) {
      return refuse(res, 404, 'NOT_FOUND', 'No such dataset file');
    }
    files
      .locate(dataset!, part, name)
      .then((located) => {
        if (!located) return refuse(res, 404, 'NOT_FOUND', `No file ${part}/${name} in dataset ${dataset}`);
        const { entry } = located;
        res.setHeader('ETag', `"${entry.sha256}"`);
        res.setHeader('Repr-Digest', `sha-256=:${Buffer.from(entry.sha256, 'hex').toString('base64')}:`);
        res.setHeader('Content-Disposition', `attachment; filename="${entry.path}"`);
        res.setHeader('Cache-Control', 'private, no-transform');
        res.sendFile(
          entry.path,
          {
            // With a root, `send` applies its dotfile rule to the file name only: data roots may sit under
            // a hidden folder (the development stack keeps them in .run/data).
            root: path.resolve(located.directory),
            acceptRanges: true,
            lastModified: true,
            etag: false,
            dotfiles: 'deny',
            // 1 MiB reads (send passes the option to fs.createReadStream): fewer, larger chunks on the stream.
            highWaterMark: 1024 * 1024,
          } as never,
          (error?: Error & { status?: number; code?: string }) => {
            if (!error) return;
            if (error.code === 'ECONNABORTED' || error.code === 'ECONNRESET' || res.headersSent) return;
            if (error.status === 416) {
              res.setHeader('Content-Range', `bytes */${entry.bytes}`);
              return refuse(
                res,
                416,
                'RANGE_NOT_SATISFIABLE',
                `The file has ${entry.bytes} bytes; that range lies outside it`,
              );
            }
            logger.error({ err: error, dataset, part, file: name }, 'dataset file could not be sent');
            refuse(res, 500, 'INTERNAL', 'The file could not be read');
          },
        );
      })
      .catch((error: unknown) => {
        logger.error({ err: error, dataset, part, file: name }, 'dataset file lookup failed');
        refuse(res, 500, 'INTERNAL', 'Internal error');
      });
  });
  return router;
}
