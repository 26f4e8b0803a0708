import { MAX_SUBMISSION_FILE_BYTES } from '@medforge/shared-schema';
import { Router } from 'express';

import { gatewayContextOf } from '../../http/request-context';
import { asyncRoute } from '../async-route';
import { readMultipartFile } from '../multipart-file';
import {
  MySubmissionsDocument,
  RescoreSubmissionDocument,
  SubmitPredictionDocument,
} from '../../generated/rest-operations';
import type { OperationRunner } from '../operation-runner';
import { intQuery, slugParam, uuidParam } from '../params';
import { sendData, sendProblem } from '../respond';

/** Uploading predictions, reading one's own submissions, and (admin) scoring one again. */
export function submissionRoutes(runner: OperationRunner): Router {
  const router = Router();

  router.post(
    '/competitions/:slug/submissions',
    asyncRoute(async (req, res) => {
      const slug = slugParam(req.params['slug']);
      // Refused before a byte of the upload is read; the mutation would refuse it anyway.
      const context = gatewayContextOf(res);
      if (!context.actor) return sendProblem(res, 'UNAUTHENTICATED', 'Sign in to submit predictions');
      if (!context.originAllowed) {
        return sendProblem(
          res,
          'ORIGIN_NOT_ALLOWED',
          'State-changing requests must come from a MedForge origin (send an allowed Origin header)',
        );
      }
      // The largest file any competition takes; the subgraph applies each competition's own limit.
      const file = await readMultipartFile(req, 'file', MAX_SUBMISSION_FILE_BYTES);
      // BASE64 carries the exact bytes, so the scorer (not a decoder here) judges the encoding.
      const data = await runner.run(res, SubmitPredictionDocument, {
        slug,
        filename: file.filename,
        content: file.bytes.toString('base64'),
      });
      if (data) sendData(res, data.submitPrediction, {}, 201);
    }),
  );

  router.get(
    '/competitions/:slug/submissions/me',
    asyncRoute(async (req, res) => {
      const slug = slugParam(req.params['slug']);
      const limit = intQuery(req.query['limit'], 'limit', 50, 1, 200);
      const data = await runner.run(res, MySubmissionsDocument, { slug, limit });
      if (!data) return;
      if (!data.me) return sendProblem(res, 'UNAUTHENTICATED', 'Sign in to see your submissions');
      if (!data.competition) return sendProblem(res, 'NOT_FOUND', `No competition ${slug}`);
      sendData(res, data.me.submissions, { cap: data.competition.my_cap });
    }),
  );

  router.post(
    '/admin/submissions/:id/score',
    asyncRoute(async (req, res) => {
      const id = uuidParam(req.params['id']);
      const data = await runner.run(res, RescoreSubmissionDocument, { id });
      if (data) sendData(res, data.rescoreSubmission, {}, 202);
    }),
  );

  return router;
}
