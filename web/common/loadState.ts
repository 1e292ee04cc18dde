import { ref, type Ref } from 'vue';
import { errorMessage } from './errors';

/**
 * Loading a value from the server into `target`: `loading` while a request runs, `loaded` after the first
 * success, `error` the last failure's message (cleared by a success). The old value stays on a failure.
 */
export function useLoadState<T>(target: Ref<T>, fetch: () => Promise<T>) {
  const loading = ref(false);
  const loaded = ref(false);
  const error = ref<string | null>(null);

  async function load() {
    loading.value = true;
    try {
      target.value = await fetch();
      loaded.value = true;
      error.value = null;
    } catch (err) {
      error.value = errorMessage(err);
    } finally {
      loading.value = false;
    }
  }

  return { loading, loaded, error, load };
}
