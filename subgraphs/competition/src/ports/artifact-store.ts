export interface StoredArtifact {
  /** Relative to the store's root: what the submissions table records. */
  path: string;
  sha256: string;
  sizeBytes: number;
}

/** Where submitted files live. One implementation today (a directory); object storage would be another. */
export interface ArtifactStore {
  save(competitionSlug: string, submissionId: string, bytes: Buffer): Promise<StoredArtifact>;
  read(relativePath: string): Promise<Buffer>;
  remove(relativePath: string): Promise<void>;
}
