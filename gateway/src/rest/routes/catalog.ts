import { Router } from 'express';

import { asyncRoute } from '../async-route';
import { defineOperation, type OperationRunner } from '../operation-runner';
import { intQuery, slugParam } from '../params';
import { sendData, sendProblem } from '../respond';

// Aliases give the REST contract its snake_case field names without a translation layer.
const COMPETITION_FIELDS = `
  id slug title summary metric higher_is_better: higherIsBetter metric_version: metricVersion
  daily_submission_cap: dailySubmissionCap scoring_mode: scoringMode leaderboard_rule: leaderboardRule
  submission_format: submissionFormat {
    id_column: idColumn target_column: targetColumn expected_rows: expectedRows max_upload_bytes: maxUploadBytes
  }
  dataset { slug title }
  sample_submission: sampleSubmission { name size_bytes: sizeBytes sha256 download_url: downloadUrl }`;

const DATASET_FIELDS = `
  id slug title summary description source license origin
  training_session_path: trainingSessionPath public_eval_session_path: publicEvalSessionPath
  files {
    part name size_bytes: sizeBytes sha256 description download_url: downloadUrl session_path: sessionPath
  }`;

const ListCompetitions = defineOperation(`query ListCompetitions { competitions { ${COMPETITION_FIELDS} } }`);
const GetCompetition = defineOperation(
  `query GetCompetition($slug: String!) { competition(slug: $slug) { ${COMPETITION_FIELDS} description } }`,
);
const GetLeaderboard = defineOperation(`
  query GetLeaderboard($slug: String!, $limit: Int!, $offset: Int!) {
    competition(slug: $slug) {
      slug
      higher_is_better: higherIsBetter
      leaderboard(limit: $limit, offset: $offset) {
        total_entries: totalEntries
        entries {
          rank score submission_id: submissionId submitted_at: submittedAt
          user { id display_name: displayName }
        }
      }
    }
  }`);
const ListDatasets = defineOperation(`query ListDatasets { datasets { ${DATASET_FIELDS} } }`);
const GetDataset = defineOperation(`query GetDataset($slug: String!) { dataset(slug: $slug) { ${DATASET_FIELDS} } }`);

interface DatasetData {
  files: Array<{ part: string }>;
}

/** A file's part as its download URL and the docs spell it (`training`, `public-eval`), not the enum's name. */
const PART_IN_URLS: Readonly<Record<string, string>> = { TRAINING: 'training', PUBLIC_EVAL: 'public-eval' };

function withUrlParts<T extends DatasetData>(dataset: T): T {
  return { ...dataset, files: dataset.files.map((file) => ({ ...file, part: PART_IN_URLS[file.part] ?? file.part })) };
}

interface LeaderboardData {
  competition: {
    slug: string;
    higher_is_better: boolean;
    leaderboard: { total_entries: number; entries: unknown[] };
  } | null;
}

/** Public catalog reads: competitions, their leaderboards, and datasets. */
export function catalogRoutes(runner: OperationRunner): Router {
  const router = Router();

  router.get(
    '/competitions',
    asyncRoute(async (_req, res) => {
      const data = await runner.run<{ competitions: unknown[] }>(res, ListCompetitions);
      if (data) sendData(res, data.competitions, { count: data.competitions.length });
    }),
  );

  router.get(
    '/competitions/:slug',
    asyncRoute(async (req, res) => {
      const slug = slugParam(req.params['slug']);
      const data = await runner.run<{ competition: unknown }>(res, GetCompetition, { slug });
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
      const data = await runner.run<LeaderboardData>(res, GetLeaderboard, { slug, limit, offset });
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
      const data = await runner.run<{ datasets: DatasetData[] }>(res, ListDatasets);
      if (data) sendData(res, data.datasets.map(withUrlParts), { count: data.datasets.length });
    }),
  );

  router.get(
    '/datasets/:slug',
    asyncRoute(async (req, res) => {
      const slug = slugParam(req.params['slug']);
      const data = await runner.run<{ dataset: DatasetData | null }>(res, GetDataset, { slug });
      if (!data) return;
      if (!data.dataset) return sendProblem(res, 'NOT_FOUND', `No dataset named ${slug}`);
      sendData(res, withUrlParts(data.dataset));
    }),
  );

  return router;
}
