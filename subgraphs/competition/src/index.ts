export * from './app';
export * from './config';
export { competitionMigrations } from './db/migrations';
export { generateHoldouts } from './holdouts/generate-holdouts';
export { type Holdout, loadHoldouts } from './holdouts/holdout-store';
export { SCORER_VERSION, scoreSubmission } from './scoring/score-submission';
export { refreshBest } from './services/leaderboard-bests';
export { loadScoringWorkerConfig, scoringWorkerConfigSchema } from './worker/worker-config';
