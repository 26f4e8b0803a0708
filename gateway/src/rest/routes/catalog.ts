import { Router } from 'express';

import { asyncRoute } from '../async-route';
import {
  GetCompetitionDocument,
  GetDatasetDocument,
  GetLeaderboardDocument,
  ListCompetitionsDocument,
  ListDatasetsDocument,
} from '../../generated/rest-operations';
import type { OperationRunner } from '../operation-runner';
import { intQuery, slugParam } from '../params';
import { sendData, sendProblem } from '../respond';

interface DatasetData {
  files: Array<{ part: string }>;
}

/** A file's part as its download URL and the docs spell it (`training`, `public-eval`), not the enum's name. */
const PART_IN_URLS: Readonly<Record<string, string>> = { TRAINING: 'training', PUBLIC_EVAL: 'public-eval' };

function withUrlParts<T extends DatasetData>(dataset: T): T {
  return { ...dataset, files: dataset.files.map((file) => ({ ...file, part: PART_IN_URLS[file.part] ?? file.part })) };
}

/** Public catalog reads: competitions, their leaderboards, and datasets. */
export function catalogRoutes(runner: OperationRunner): Router {
  const router = Router();

  router.get(
    '/competitions',
    asyncRoute(async (_req, res) => {
      const data = await runner.run(res, ListCompetitionsDocument);
      if (data) sendData(res, data.competitions, { count: data.competitions.length });
    }),
  );

  router.get(
    '/competitions/:slug',
    asyncRoute(async (req, res) => {
      const slug = slugParam(req.params['slug']);
      const data = await runner.run(res, GetCompetitionDocument, { slug });
      if (!data) return;
      if (!data.competition) return sendProblem(res, 'NOT_FOUND', `No competition named ${slug}`);
      sendData(res, data.competition);
    }),
  );

  router.get(
    '/competitions/:slug/leaderboard',
    asyncRoute(async (req, res) => {
      const slug = slugParam(req.params['slug']);
      const limit = intQuery(req.query['limit'], 'limit', 50, 1, 100);
      const offset = intQuery(req.query['offset'], 'offset', 0, 0, 1_000_000);
      const data = await runner.run(res, GetLeaderboardDocument, { slug, limit, offset });
      if (!data) return;
      if (!data.competition) return sendProblem(res, 'NOT_FOUND', `No competition named ${slug}`);
      const { leaderboard, higher_is_better } = data.competition;
      sendData(res, leaderboard.entries, {
        competition: slug,
        higher_is_better,
        total_entries: leaderboard.total_entries,
        limit,
        offset,
      });
    }),
  );

  router.get(
    '/datasets',
    asyncRoute(async (_req, res) => {
      const data = await runner.run(res, ListDatasetsDocument);
      if (data) sendData(res, data.datasets.map(withUrlParts), { count: data.datasets.length });
    }),
  );

  router.get(
    '/datasets/:slug',
    asyncRoute(async (req, res) => {
      const slug = slugParam(req.params['slug']);
      const data = await runner.run(res, GetDatasetDocument, { slug });
      if (!data) return;
      if (!data.dataset) return sendProblem(res, 'NOT_FOUND', `No dataset named ${slug}`);
      sendData(res, withUrlParts(data.dataset));
    }),
  );

  return router;
}
