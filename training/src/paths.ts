/** Where training's commands read and write, relative to this workspace (never a machine's absolute path). */
import path from 'node:path';

/** The training/ workspace. */
export const TRAINING_DIR = path.resolve(import.meta.dirname, '..');
/** The repository root. */
export const REPO_DIR = path.resolve(TRAINING_DIR, '..');
/** The shared data beside the repository (`--data` overrides it). */
export const DATA_DIR = path.resolve(REPO_DIR, '../shared/data');
export const MODELS_DIR = path.join(REPO_DIR, 'public', 'models');
export const REPORTS_DIR = path.join(TRAINING_DIR, 'reports');
export const RUNS_DIR = path.join(TRAINING_DIR, 'runs');
