import { createHash, randomUUID } from 'node:crypto';

import type { ArtifactStore } from '../../src/ports/artifact-store';

/**
 * What every ArtifactStore does with submitted files: what `save` answers is what `read` gives back,
 * byte for byte; a saved file replaces nothing of another submission; `remove` is harmless when repeated;
 * and no path a caller passes reaches outside the store. Run against the directory store; an object
 * store would call it with a harness of its own.
 */
export function defineArtifactStoreContract(label: string, make: () => Promise<ArtifactStore>): void {
  describe(`ArtifactStore contract: ${label}`, () => {
    let store: ArtifactStore;
    beforeAll(async () => {
      store = await make();
    });

    it('reads back what it saved, byte for byte, with its checksum and size', async () => {
      const bytes = Buffer.from('\ufeffPassengerId,Survived\r\n892,0\r\n\u00e9\u0000', 'utf8');
      const saved = await store.save('titanic-survival', randomUUID(), bytes);
      expect(saved.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
      expect(saved.sizeBytes).toBe(bytes.length);
      expect(Buffer.compare(await store.read(saved.path), bytes)).toBe(0);
    });

    it('keeps each submission apart, across competitions too', async () => {
      const [a, b] = [randomUUID(), randomUUID()];
      const first = await store.save('titanic-survival', a, Buffer.from('a\n'));
      const second = await store.save('titanic-survival', b, Buffer.from('b\n'));
      const other = await store.save('cifar-100-classification', a, Buffer.from('c\n'));
      expect(new Set([first.path, second.path, other.path]).size).toBe(3);
      expect((await store.read(first.path)).toString()).toBe('a\n');
      expect((await store.read(second.path)).toString()).toBe('b\n');
      expect((await store.read(other.path)).toString()).toBe('c\n');
    });

    it('saving one submission again replaces its file', async () => {
      const id = randomUUID();
      await store.save('titanic-survival', id, Buffer.from('old\n'));
      const again = await store.save('titanic-survival', id, Buffer.from('new\n'));
      expect((await store.read(again.path)).toString()).toBe('new\n');
    });

    it('removes a file, and removing it again (or one never saved) is harmless', async () => {
      const saved = await store.save('titanic-survival', randomUUID(), Buffer.from('x\n'));
      await store.remove(saved.path);
      await expect(store.read(saved.path)).rejects.toThrow();
      await store.remove(saved.path);
      await store.remove(`titanic-survival/${randomUUID()}.csv`);
    });

    it.each([
      ['a competition slug that is a path', () => store.save('../etc', randomUUID(), Buffer.from('x'))],
      ['a submission id that is a path', () => store.save('titanic-survival', '../../passwd', Buffer.from('x'))],
      ['reading outside the store', () => store.read('../../etc/passwd')],
      ['reading an absolute path', () => store.read('/etc/passwd')],
      ['removing outside the store', () => store.remove('../outside.csv')],
    ])('refuses %s', async (_what, attempt) => {
      await expect(attempt()).rejects.toThrow();
    });
  });
}
