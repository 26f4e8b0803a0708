import path from 'node:path';
import { readFile } from 'node:fs/promises';

import type { Logger } from '@medforge/shared-schema';

import { type DatasetPart, layoutOfCompetition, layoutOfDataset } from '../datasets/dataset-layout';
import { type DatasetManifest, type ManifestEntry, partDirectory, readManifest } from '../datasets/dataset-manifest';
import type { DataRoots } from '../datasets/generate-datasets';
import { readCsv } from '../scoring/csv/read-csv';

export interface DatasetFileView extends ManifestEntry {
  part: DatasetPart;
  description: string | null;
}

export interface DatasetListing {
  /** `generated` or `imported`; null while no part holds data. */
  origin: DatasetManifest['origin'] | null;
  files: DatasetFileView[];
}

export interface LocatedFile {
  /** The part's folder of the dataset; the entry's path is relative to it. */
  directory: string;
  absolutePath: string;
  entry: ManifestEntry;
}

/**
 * Read side of the dataset files under the training and public-eval roots: what each manifest lists,
 * where a listed file lies (nothing else is ever served), and the public test ids of a competition
 * (its sample submission's ids), which intake checks uploads against.
 */
export class DatasetFiles {
  private readonly testIdCache = new Map<string, { sha256: string; ids: ReadonlySet<string> }>();

  constructor(
    private readonly roots: DataRoots,
    private readonly logger: Logger,
  ) {}

  private rootOf(part: DatasetPart): string {
    return part === 'training' ? this.roots.training : this.roots.publicEval;
  }

  /** A part's manifest; an unreadable one is logged and treated as absent rather than failing the page. */
  private async manifest(dataset: string, part: DatasetPart): Promise<DatasetManifest | null> {
    try {
      return await readManifest(this.rootOf(part), dataset);
    } catch (error) {
      this.logger.error({ err: error, dataset, part }, 'dataset manifest unreadable');
      return null;
    }
  }

  async listing(dataset: string): Promise<DatasetListing> {
    const specs = layoutOfDataset(dataset)?.files ?? [];
    const files: DatasetFileView[] = [];
    let origin: DatasetListing['origin'] = null;
    for (const part of ['training', 'public-eval'] as const) {
      const manifest = await this.manifest(dataset, part);
      if (!manifest) continue;
      origin = origin === 'imported' ? origin : manifest.origin;
      for (const entry of manifest.files) {
        const spec = specs.find((s) => s.part === part && s.name === entry.path);
        files.push({ ...entry, part, description: spec?.description ?? null });
      }
    }
    return { origin, files };
  }

  async locate(dataset: string, part: DatasetPart, name: string): Promise<LocatedFile | null> {
    const manifest = await this.manifest(dataset, part);
    const entry = manifest?.files.find((f) => f.path === name);
    if (!entry) return null;
    const directory = partDirectory(this.rootOf(part), dataset);
    return { directory, absolutePath: path.join(directory, entry.path), entry };
  }

  /** The competition's sample submission as listed, or null while its data is not installed. */
  async sampleSubmission(competition: string): Promise<DatasetFileView | null> {
    const layout = layoutOfCompetition(competition);
    if (!layout) return null;
    const { files } = await this.listing(layout.dataset);
    return files.find((f) => f.part === 'public-eval' && f.path === layout.sampleSubmission) ?? null;
  }

  /**
   * Every test id of a competition, read from its published sample submission (cached by checksum), or
   * null where the data is not installed; the scorer still checks membership against the holdout.
   */
  async testIds(competition: string, idColumn: string): Promise<ReadonlySet<string> | null> {
    const layout = layoutOfCompetition(competition);
    if (!layout) return null;
    const located = await this.locate(layout.dataset, 'public-eval', layout.sampleSubmission);
    if (!located) return null;
    const cached = this.testIdCache.get(competition);
    if (cached?.sha256 === located.entry.sha256) return cached.ids;
    const { header, rows } = readCsv(await readFile(located.absolutePath));
    const column = header.indexOf(idColumn);
    if (column < 0) {
      this.logger.error({ competition, file: located.absolutePath }, `sample submission lacks ${idColumn}`);
      return null;
    }
    const ids = new Set(rows.map((r) => r.fields[column]!.trim()));
    this.testIdCache.set(competition, { sha256: located.entry.sha256, ids });
    return ids;
  }
}
