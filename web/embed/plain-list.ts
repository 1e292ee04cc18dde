import { shallowRef, triggerRef, watch, type Ref } from 'vue';

/** The part of @tanstack/vue-virtual's options and items web/common/MessageList.vue uses. */
interface ListOptions {
  count: number;
  estimateSize: (index: number) => number;
  getItemKey?: (index: number) => string | number;
}
interface ListItem {
  index: number;
  key: string | number;
  start: number;
  size: number;
  end: number;
  lane: number;
}

/**
 * Stands in for @tanstack/vue-virtual's `useVirtualizer` in the widget's chat frame (aliased in web/vite.config.ts,
 * to keep the frame within its 80 kB): every row is rendered, each placed below the one before at its measured
 * height. A visitor's conversation is short, so the frame does not need to leave rows out; the workbench and the
 * console, which open conversations of thousands of messages, keep the real virtualiser.
 */
export function useVirtualizer(options: Ref<ListOptions>) {
  const sizes = new Map<string | number, number>();
  const keyAt = (index: number) => options.value.getItemKey?.(index) ?? index;
  /** Records an element's height; true when it changed (the rows below move). */
  const record = (el: Element): boolean => {
    const index = Number((el as HTMLElement).dataset.index);
    if (!Number.isInteger(index)) return false;
    const height = el.getBoundingClientRect().height;
    const key = keyAt(index);
    if (sizes.get(key) === height) return false;
    sizes.set(key, height);
    return true;
  };
  const observer = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver((entries) => {
    if (entries.map((e) => record(e.target)).some(Boolean)) triggerRef(list);
  });
  const observed = new WeakSet<Element>();
  const instance = {
    getVirtualItems(): ListItem[] {
      const { count, estimateSize } = options.value;
      const items: ListItem[] = [];
      let start = 0;
      for (let index = 0; index < count; index++) {
        const key = keyAt(index);
        const size = sizes.get(key) ?? estimateSize(index);
        items.push({ index, key, start, size, end: start + size, lane: 0 });
        start += size;
      }
      return items;
    },
    getTotalSize(): number {
      const items = instance.getVirtualItems();
      return items.length === 0 ? 0 : items[items.length - 1].end;
    },
    measureElement(el: Element | null): void {
      if (!el) return;
      if (observer && !observed.has(el)) {
        observed.add(el);
        observer.observe(el);
      }
      if (record(el)) triggerRef(list);
    },
  };
  const list = shallowRef(instance);
  watch(options, () => triggerRef(list));
  return list;
}
