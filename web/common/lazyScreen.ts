/**
 * Issue 21: a route's lazy view together with the lazy screens' texts (web/common/i18n/screens/), so neither is
 * in the app's up-front bundle and the view never renders before its texts are there.
 */
export function lazyScreen<T>(view: () => Promise<T>): () => Promise<T> {
  return async () => (await Promise.all([view(), import('./i18n/screens/index').then((m) => m.loadScreenTexts())]))[0];
}
