import { Router } from 'express';

import { gatewayContextOf } from '../../http/request-context';
import type { SubgraphFileProxy } from '../file-proxy';
import { slugParam } from '../params';
import { sendProblem } from '../respond';

const PARTS = new Set(['training', 'public-eval']);
const FILE_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/;

/**
 * GET|HEAD /datasets/:slug/files/:part/:name — a dataset file, streamed from the competition subgraph
 * (Range, If-Range, ETag, Repr-Digest). Signed-in users only: the data is mirrored for participants.
 */
export function datasetFileRoutes(files: SubgraphFileProxy): Router {
  const router = Router();
  router.get('/datasets/:slug/files/:part/:name', (req, res) => {
    if (!gatewayContextOf(res).actor) return sendProblem(res, 'UNAUTHENTICATED', 'Sign in to download dataset files');
    const slug = slugParam(req.params['slug']);
    const { part, name } = req.params as { part: string; name: string };
    if (!PARTS.has(part)) {
      return sendProblem(res, 'NOT_FOUND', `No part ${JSON.stringify(part)}; a dataset has training and public-eval`);
    }
    if (!FILE_NAME.test(name)) return sendProblem(res, 'NOT_FOUND', `No file named ${JSON.stringify(name)}`);
    files.forward(req, res, `datasets/${slug}/files/${part}/${encodeURIComponent(name)}`);
  });
  return router;
}
