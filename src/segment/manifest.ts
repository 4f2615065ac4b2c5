/**
 * The model manifest written by training's export (public/models/<id>/<version>/manifest.json) and the
 * index of published models (public/models/index.json). The app refuses a model whose preprocessVersion
 * differs from its own src/core/preprocess.
 */
import { PREPROCESS_VERSION } from '@/core/preprocess';

export interface ModelFile {
  name: string;
  bytes: number;
  sha256: string;
}

export interface ModelManifest {
  id: string;
  version: string;
  format: 'cineseg-graph/1';
  /**
   * [n, n, C]: the model's square input. C = 1: the slice alone; C = 3 (or 5): the slice in the middle
   * channel and its neighbours of the same frame on either side (src/core/preprocess contextSlices).
   */
  inputShape: [number, number, number];
  spacingMm: number;
  /**
   * Heart-centred inference: a first pass on the inputShape canvas (centred on the image) locates the heart,
   * then every image runs on an inputSize x inputSize crop at spacingMm centred on it. Absent: one pass on
   * the image-centred canvas (models published before the crop).
   */
  heartCrop?: { inputSize: number };
  /** Class names by label value (ACDC convention). */
  classes: string[];
  preprocessVersion: number;
  normalisation: { lowPercentile: number; highPercentile: number };
  /** Test-time augmentation the model was evaluated with (the teacher uses flips and rotations). */
  tta: boolean;
  parameters: number;
  flopsPerImage: number;
  weightsDtype: 'float32' | 'float16';
  teacher: { id: string; version: string } | null;
  /**
   * How the weights were made: the command of the run, and for a run started from another run's weights
   * (training's --init) the commands of those runs, first to last.
   */
  training: {
    data: string;
    command: string;
    config: Record<string, unknown>;
    initialisedFrom?: { run: string; command: string }[];
    /** A new version over another version's weights (training's republish): that version. */
    republishedFrom?: string;
  };
  metrics: Record<string, unknown>;
  files: ModelFile[];
  created: string;
}

export interface ModelIndexEntry {
  id: string;
  version: string;
  /** Relative to the models folder, e.g. `student/1.0.0/`. */
  path: string;
  label: string;
}

export interface ModelIndex {
  default: string;
  models: ModelIndexEntry[];
}

export class ModelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelError';
  }
}

/** Throws a ModelError a user can act on when the manifest does not fit this build of the app. */
export function checkManifest(m: ModelManifest): void {
  if (m.format !== 'cineseg-graph/1') throw new ModelError(`model ${m.id} ${m.version} has format ${String(m.format)}, which this app cannot run`);
  if (m.preprocessVersion !== PREPROCESS_VERSION) {
    throw new ModelError(
      `model ${m.id} ${m.version} was trained with preprocessing v${m.preprocessVersion}, this app uses v${PREPROCESS_VERSION}; use a matching model`,
    );
  }
  const [n, n2, c] = m.inputShape;
  if (!(n > 0 && n === n2 && (c === 1 || c === 3 || c === 5))) throw new ModelError(`model ${m.id} has an unsupported input shape ${m.inputShape.join('x')}`);
  if (m.heartCrop && !(Number.isInteger(m.heartCrop.inputSize) && m.heartCrop.inputSize >= 32 && m.heartCrop.inputSize % 16 === 0)) {
    throw new ModelError(`model ${m.id} ${m.version} has an unusable heart crop size ${String(m.heartCrop.inputSize)}`);
  }
}
