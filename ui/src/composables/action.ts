import { ref } from 'vue';

/**
 * A user-triggered operation's state: `busy` while it runs, and `error` holding the API's own text when
 * it fails (never swallowed). `run` starts one.
 */
export function useAction() {
  const busy = ref(false);
  const error = ref<string | null>(null);
  const run = async (work: () => Promise<void>) => {
    busy.value = true;
    error.value = null;
    try {
      await work();
    } catch (caught) {
      error.value = (caught as Error).message;
    } finally {
      busy.value = false;
    }
  };
  return { busy, error, run };
}
