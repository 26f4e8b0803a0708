/**
 * Where competition data appears inside every session container (read-only bind mounts of the training
 * and public-eval roots): `/data/training/<dataset>/…` and `/data/public-eval/<dataset>/…`. The
 * session-runtime mounts them; the competition subgraph tells users where to look.
 */
export const SESSION_DATA_MOUNTS = {
  training: '/data/training',
  publicEval: '/data/public-eval',
} as const;
