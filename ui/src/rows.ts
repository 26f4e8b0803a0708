/** Row lists kept live by events: the changed row replaces its old self. */

/** Replaces the row with the same id, or puts it first when it is new. */
export function upsertById<T extends { id: string }>(rows: readonly T[], changed: T): T[] {
  return rows.some((row) => row.id === changed.id) ? replaceById(rows, changed) : [changed, ...rows];
}

/** Replaces the row with the same id, if it is there (the page on screen may not hold it). */
export function replaceById<T extends { id: string }>(rows: readonly T[], changed: T): T[] {
  return rows.map((row) => (row.id === changed.id ? changed : row));
}
