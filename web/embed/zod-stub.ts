/**
 * What `zod` is inside the chat's frame bundle (web/vite.config.ts aliases it here for that build only). The
 * chat validates nothing: domain/ modules it imports for a constant or a helper build their schemas when they
 * load, and this absorbs those calls without shipping zod (25 kB gzipped). Nothing here ever parses; a call
 * to `parse` would throw, so a mistake cannot pass silently.
 */
type Chain = ((...args: unknown[]) => Chain) & { [key: string]: Chain };

const chain: Chain = new Proxy(function stub() { /* absorbs schema building */ } as unknown as Chain, {
  get(_target, key) {
    if (key === 'parse' || key === 'safeParse' || key === 'parseAsync' || key === 'safeParseAsync') {
      return () => { throw new Error('zod is not bundled in the chat frame: validate on the server'); };
    }
    return chain;
  },
  apply: () => chain,
});

export const z = chain;
export default chain;
