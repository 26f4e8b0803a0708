import { DomainError, type Logger } from '@medforge/shared-schema';
import express, { type NextFunction, type Request, type Response, Router } from 'express';

import type { OperationRunner } from './operation-runner';
import { sendProblem } from './respond';
import { adminSessionRoutes } from './routes/admin-sessions';
import { adminUserRoutes } from './routes/admin-users';
import { authRoutes } from './routes/auth';
import { catalogRoutes } from './routes/catalog';
import { sessionRoutes } from './routes/sessions';
import { submissionRoutes } from './routes/submissions';

const MAX_JSON_BODY = '64kb';

/** /api/v2: thin routes over named GraphQL operations, errors as problem+json. */
export function restRouter(runner: OperationRunner, logger: Logger): Router {
  const router = Router();
  router.use(express.json({ limit: MAX_JSON_BODY }));
  router.use(authRoutes(runner));
  router.use(catalogRoutes(runner));
  router.use(submissionRoutes(runner));
  router.use(adminUserRoutes(runner));
  router.use(adminSessionRoutes(runner));
  router.use(sessionRoutes(runner));
  router.use((req: Request, res: Response) => {
    sendProblem(res, 'NOT_FOUND', `No route for ${req.method} ${req.baseUrl}${req.path}`);
  });
  router.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (error instanceof DomainError) return sendProblem(res, error.code, error.message);
    const status = (error as { status?: number; type?: string }).status;
    const type = (error as { type?: string }).type;
    if (type === 'entity.too.large') return sendProblem(res, 'PAYLOAD_TOO_LARGE', `JSON body over ${MAX_JSON_BODY}`);
    if (type === 'entity.parse.failed') return sendProblem(res, 'BAD_USER_INPUT', 'Request body is not valid JSON');
    if (status === 415 || type === 'charset.unsupported' || type === 'encoding.unsupported') {
      return sendProblem(res, 'UNSUPPORTED_MEDIA_TYPE', 'Unsupported request encoding');
    }
    logger.error({ err: error, request_id: res.locals['requestId'] }, 'rest route failed');
    sendProblem(res, 'INTERNAL', 'Internal error');
  });
  return router;
}
