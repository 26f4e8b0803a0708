/**
 * Runs tasks one at a time in submission order. zfs-fuse (and ZFS under load) fails concurrent
 * create/destroy with "dataset is busy", so every mutation of the pool goes through one queue.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
