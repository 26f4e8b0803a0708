import type { NextFunction, Request, RequestHandler, Response } from 'express';

/** Forwards rejections (including thrown DomainErrors) to the REST error handler. */
export function asyncRoute(handler: (req: Request, res: Response) => Promise<void>): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    handler(req, res).catch(next);
  };
}
