import { drawOpacityBoxes, RSNA_POSITIVE_RATE, TITANIC_SURVIVAL_RATE } from '../holdouts/generate-holdouts';
import { KeyedRandom, type RandomStream } from '../holdouts/keyed-random';
import { CIFAR_IMAGE_SHAPE, CIFAR_TRAIN_IMAGES, RSNA_TRAIN_PATIENTS, TITANIC_TRAIN_ROWS } from './dataset-layout';

/** Names the way generated datasets are drawn; part of every stream's purpose and of their manifests' source. */
export const GENERATED_DATASETS_VERSION = 'datasets-v2';

/**
 * The content of generated datasets, drawn from the install's holdout secret with streams keyed by all of
 * it (KeyedRandom). Test features are drawn *given* each hidden label, as the task needs (a model trained
 * on the training part learns something that carries over), each test row from a stream of its own, so
 * one row's draws never depend on another row's label; nothing in the repository reproduces either.
 */
export class GeneratedContent {
  constructor(private readonly secret: string) {}

  random(purpose: string): KeyedRandom {
    return new KeyedRandom(this.secret, `${GENERATED_DATASETS_VERSION}:${purpose}`);
  }

  /** Uniform bytes for pixel noise; the same purpose gives the same bytes. */
  noise(purpose: string): (length: number) => Buffer {
    const random = this.random(purpose);
    return (length) => random.bytes(length);
  }
}

// ---- Titanic -------------------------------------------------------------------------------------------

export const TITANIC_HEADER = 'PassengerId,Survived,Pclass,Name,Sex,Age,SibSp,Parch,Ticket,Fare,Cabin,Embarked';
export const TITANIC_TEST_HEADER = 'PassengerId,Pclass,Name,Sex,Age,SibSp,Parch,Ticket,Fare,Cabin,Embarked';

const SURNAMES = [
  'Andersson',
  'Baxter',
  'Carter',
  'Davies',
  'Ellis',
  'Fortune',
  'Goodwin',
  'Harris',
  'Ibrahim',
  'Johnson',
  'Kelly',
  'Lindqvist',
  'Moran',
  'Nasser',
  'OBrien',
  'Palsson',
  'Quick',
  'Rice',
  'Sage',
  'Thomas',
  'Urbanski',
  'Vander Planke',
  'Williams',
  'Young',
  'Zabour',
  'Allison',
  'Brown',
  'Cumings',
  'Dean',
  'Hansen',
];
const MALE_NAMES = [
  'John',
  'William',
  'Charles',
  'George',
  'Thomas',
  'James',
  'Edward',
  'Henry',
  'Arthur',
  'Frederick',
  'Karl',
  'Ernst',
  'Patrick',
  'Owen',
  'Nils',
];
const FEMALE_NAMES = [
  'Mary',
  'Elizabeth',
  'Anna',
  'Margaret',
  'Helen',
  'Ellen',
  'Alice',
  'Florence',
  'Bertha',
  'Maria',
  'Katherine',
  'Edith',
  'Johanna',
  'Laina',
  'Ada',
];

function pick<T>(random: RandomStream, weighted: ReadonlyArray<readonly [T, number]>): T {
  let r = random.next();
  for (const [value, weight] of weighted) {
    if (r < weight) return value;
    r -= weight;
  }
  return weighted[weighted.length - 1]![0];
}

function csvField(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** One passenger's features given whether they survived (the real manifest's rough proportions). */
export function titanicPassenger(random: RandomStream, survived: boolean): { female: boolean; fields: string[] } {
  const female = random.next() < (survived ? 0.68 : 0.15);
  const pclass = pick(
    random,
    survived
      ? [
          [1, 0.4],
          [2, 0.25],
          [3, 0.35],
        ]
      : [
          [1, 0.15],
          [2, 0.18],
          [3, 0.67],
        ],
  );
  const child = random.next() < (survived ? 0.12 : 0.06);
  const age = child ? random.int(1, 14) : random.int(15, 20) + random.int(0, 25) + random.int(0, 25);
  const ageKnown = random.next() >= 0.2;
  const surname = SURNAMES[random.int(0, SURNAMES.length - 1)]!;
  const given = (female ? FEMALE_NAMES : MALE_NAMES)[random.int(0, MALE_NAMES.length - 1)]!;
  const title = female ? (child || random.next() < 0.4 ? 'Miss.' : 'Mrs.') : child ? 'Master.' : 'Mr.';
  const sibsp = pick(random, [
    [0, 0.68],
    [1, 0.23],
    [2, 0.03],
    [3, 0.02],
    [4, 0.02],
    [5, 0.01],
    [8, 0.01],
  ]);
  const parch = child
    ? random.int(1, 2)
    : pick(random, [
        [0, 0.8],
        [1, 0.12],
        [2, 0.07],
        [5, 0.01],
      ]);
  const fare =
    pclass === 1 ? 25 + random.next() * 200 : pclass === 2 ? 10 + random.next() * 30 : 6.5 + random.next() * 18;
  const ticket =
    random.next() < 0.25
      ? `${['A/5', 'PC', 'STON/O2.', 'C.A.'][random.int(0, 3)]} ${random.int(1000, 39999)}`
      : String(random.int(100000, 399999));
  const cabinChance = pclass === 1 ? 0.7 : pclass === 2 ? 0.1 : 0.02;
  const deck = pclass === 1 ? 'ABCDE' : pclass === 2 ? 'DEF' : 'FG';
  const cabin = random.next() < cabinChance ? `${deck[random.int(0, deck.length - 1)]}${random.int(2, 130)}` : '';
  const embarked = pick(random, [
    ['S', 0.72],
    ['C', 0.19],
    ['Q', 0.09],
  ]);
  return {
    female,
    fields: [
      String(pclass),
      csvField(`${surname}, ${title} ${given}`),
      female ? 'female' : 'male',
      ageKnown ? String(age) : '',
      String(sibsp),
      String(parch),
      ticket,
      fare.toFixed(4),
      cabin,
      embarked,
    ],
  };
}

export function titanicFiles(content: GeneratedContent, testLabels: ReadonlyMap<string, string>) {
  const trainRandom = content.random('titanic:train');
  const train = [TITANIC_HEADER];
  for (let id = 1; id <= TITANIC_TRAIN_ROWS; id++) {
    const survived = trainRandom.next() < TITANIC_SURVIVAL_RATE;
    train.push([String(id), survived ? '1' : '0', ...titanicPassenger(trainRandom, survived).fields].join(','));
  }
  const test = [TITANIC_TEST_HEADER];
  const sample = ['PassengerId,Survived'];
  for (const [id, label] of testLabels) {
    const passenger = titanicPassenger(content.random(`titanic:test:${id}`), label === '1');
    test.push([id, ...passenger.fields].join(','));
    sample.push(`${id},${passenger.female ? 1 : 0}`);
  }
  return { train: lines(train), test: lines(test), sample: lines(sample) };
}

// ---- CIFAR-100 -----------------------------------------------------------------------------------------

const CIFAR_CLASSES = 100;
const GRID = 4; // each class: a 4x4 grid of colours, upsampled to 32x32
const IMAGE_BYTES = CIFAR_IMAGE_SHAPE[0] * CIFAR_IMAGE_SHAPE[1] * CIFAR_IMAGE_SHAPE[2];

/** Per class a coarse colour pattern; each image is its class's pattern plus per-pixel noise. */
export class CifarImages {
  private readonly prototypes: Uint8Array[];

  constructor(content: GeneratedContent) {
    const random = content.random('cifar-100:prototypes');
    this.prototypes = Array.from({ length: CIFAR_CLASSES }, () =>
      Uint8Array.from({ length: GRID * GRID * 3 }, () => random.int(30, 225)),
    );
  }

  /** The images of `labels` in order, as one uint8 block of N x 32 x 32 x 3 (C order, RGB). */
  render(labels: readonly number[], noise: (length: number) => Buffer): Buffer {
    const out = noise(labels.length * IMAGE_BYTES);
    const [height, width, channels] = CIFAR_IMAGE_SHAPE;
    const cell = height / GRID;
    // The grid column of each x, worked out once: no call in the per-pixel loop (a global Math.floor
    // there cost 100 times more under jest, whose vm context cannot inline it).
    const columns = Array.from({ length: width }, (_, x) => Math.floor(x / cell));
    let offset = 0;
    for (const label of labels) {
      const prototype = this.prototypes[label]!;
      for (let y = 0; y < height; y++) {
        const row = Math.floor(y / cell) * GRID;
        for (let x = 0; x < width; x++) {
          const base = (row + columns[x]!) * 3;
          for (let c = 0; c < channels; c++) {
            // noise byte 0..255 -> -48..+47
            const value = prototype[base + c]! + ((out[offset]! * 3) >> 4) - 48;
            out[offset++] = value < 0 ? 0 : value > 255 ? 255 : value;
          }
        }
      }
    }
    return out;
  }
}

export function cifarTrainLabels(content: GeneratedContent): number[] {
  const perClass = CIFAR_TRAIN_IMAGES / CIFAR_CLASSES;
  return content
    .random('cifar-100:train-labels')
    .shuffle(Array.from({ length: CIFAR_TRAIN_IMAGES }, (_, i) => Math.floor(i / perClass)));
}

// ---- RSNA pneumonia ------------------------------------------------------------------------------------

export function rsnaTrainLabels(content: GeneratedContent, testIds: ReadonlySet<string>): string {
  const random = content.random('rsna-pneumonia:train');
  const rows = ['patientId,x,y,width,height,Target'];
  let patients = 0;
  while (patients < RSNA_TRAIN_PATIENTS) {
    const patientId = random.uuid();
    if (testIds.has(patientId)) continue; // never share an id with the test set
    patients++;
    if (random.next() >= RSNA_POSITIVE_RATE) {
      rows.push(`${patientId},,,,,0`);
      continue;
    }
    for (const box of drawOpacityBoxes(random))
      rows.push(`${patientId},${box.x},${box.y},${box.width},${box.height},1`);
  }
  return lines(rows);
}

/** Kaggle's stage 2 sample: every test image with one placeholder box. */
export function rsnaSampleSubmission(testIds: Iterable<string>): string {
  return lines(['patientId,PredictionString', ...[...testIds].map((id) => `${id},0.5 0 0 100 100`)]);
}

function lines(rows: string[]): string {
  return `${rows.join('\n')}\n`;
}
