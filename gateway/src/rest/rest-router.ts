import {
  DomainError,
  isAdmin,
  type Logger,
  MAX_REST_JSON_BODY_BYTES,
  requestErrorLog,
  requestErrorOf,
} from '@medforge/shared-schema';
import express, { type NextFunction, type Request, type Response, Router } from 'express';

import { gatewayContextOf } from '../http/request-context';
import type { SubgraphFileProxy } from './file-proxy';
import type { OperationRunner } from './operation-runner';
import { sendProblem } from './respond';
import { adminSessionRoutes } from './routes/admin-sessions';
import { adminUserRoutes } from './routes/admin-users';
import { apiTokenRoutes } from './routes/api-tokens';
import { authRoutes } from './routes/auth';
import { catalogRoutes } from './routes/catalog';
import { datasetFileRoutes } from './routes/dataset-files';
import { sessionRoutes } from './routes/sessions';
import { snapshotRoutes } from './routes/snapshots';
import { submissionRoutes } from './routes/submissions';

/** /api/v2: thin routes over named GraphQL operations, errors as problem+json. */
export function restRouter(runner: OperationRunner, files: SubgraphFileProxy, logger: Logger): Router {
  const router = Router();
  router.use(express.json({ limit: MAX_REST_JSON_BODY_BYTES }));
  // Every /admin route is for administrators, whatever the operation behind it would allow.
  router.use('/admin', (_req: Request, res: Response, next: NextFunction) => {
    const { actor } = gatewayContextOf(res);
    if (!actor) return sendProblem(res, 'UNAUTHENTICATED', 'Sign in to do this');
    if (!isAdmin(actor)) return sendProblem(res, 'FORBIDDEN', 'Only administrators can do this');
    next();
  });
  router.use(authRoutes(runner));
  router.use(catalogRoutes(runner));
  router.use(datasetFileRoutes(files));
  router.use(submissionRoutes(runner));
  router.use(adminUserRoutes(runner));
  router.use(adminSessionRoutes(runner));
  router.use(sessionRoutes(runner));
  router.use(snapshotRoutes(runner));
  router.use(apiTokenRoutes(runner));
  router.use((req: Request, res: Response) => {
    sendProblem(res, 'NOT_FOUND', `No route for ${req.method} ${req.baseUrl}${req.path}`);
  });
  router.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (error instanceof DomainError) return sendProblem(res, error.code, error.message);
    const refused = requestErrorOf(error, MAX_REST_JSON_BODY_BYTES);
    if (refused) {
      logger.info({ ...requestErrorLog(error), request_id: res.locals['requestId'] }, 'request refused');
      return sendProblem(res, refused.code, refused.detail);
    }
    logger.error({ err: error, request_id: res.locals['requestId'] }, 'rest route failed');
    sendProblem(res, 'INTERNAL', 'Internal error');
  });
  return router;
}
