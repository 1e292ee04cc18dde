import { onScopeDispose, ref, type Ref } from 'vue';

/** A reactive clock (ms) ticking every `intervalMs`, stopped with the component or effect scope. */
export function useNow(intervalMs = 1000): Ref<number> {
  const now = ref(Date.now());
  const timer = setInterval(() => {
    now.value = Date.now();
  }, intervalMs);
  onScopeDispose(() => clearInterval(timer));
  return now;
}
