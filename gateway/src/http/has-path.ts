import type { IncomingMessage } from 'node:http';

/** Whether the request's path is exactly `path` (a query string allowed, a sub-path not). */
export function hasPath(req: IncomingMessage, path: string): boolean {
  const url = req.url ?? '';
  return url.startsWith(path) && (url.length === path.length || url[path.length] === '?');
}
