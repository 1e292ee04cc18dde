import type { Router } from 'vue-router';

interface RestorableSession {
  restore(): Promise<boolean>;
}

/**
 * Routes need a signed-in staff member except the one named `login`; a signed-in user visiting login goes home.
 * `useSession` is called inside the guard so pinia is installed by then.
 */
export function installAuthGuard(router: Router, useSession: () => RestorableSession) {
  router.beforeEach(async (to) => {
    const session = useSession();
    let ok: boolean;
    try {
      ok = await session.restore();
    } catch {
      ok = false;
    }
    if (to.name === 'login') return ok ? { path: typeof to.query.redirect === 'string' ? to.query.redirect : '/' } : true;
    if (!ok) return { name: 'login', query: to.fullPath !== '/' ? { redirect: to.fullPath } : {} };
    return true;
  });
}
