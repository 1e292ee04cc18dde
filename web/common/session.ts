import { computed, ref } from 'vue';
import { defineStore } from 'pinia';
import { agentsApi, createApiClient, endpoints } from './api';
import { readCookie } from './cookies';
import { ApiError } from './errors';
import { tokenStore } from './storage';
import { setLocale, t, type Locale } from './i18n';
import { CSRF_COOKIE } from '../../domain/contracts/session';
import type { Role, UserProfile } from '../../domain/agents';

/** Where earlier versions kept staff tokens in localStorage; removed on sight so no script can find one. */
const LEGACY_TOKEN_KEYS = ['parley.agent.token', 'parley.admin.token'];

/**
 * Staff session for one app: the server keeps the token in an HttpOnly cookie (one session per browser
 * for the workbench and the console); this store holds the profile. Each app allows its own roles.
 */
export function defineSessionStore(id: string, allowedRoles: readonly Role[]) {
  return defineStore(id, () => {
    for (const key of LEGACY_TOKEN_KEYS) tokenStore(key).clear();
    const user = ref<UserProfile | null>(null);
    const api = createApiClient({ onUnauthorized: () => clear() });

    const isAuthenticated = computed(() => Boolean(user.value));

    function clear() {
      user.value = null;
    }

    function checkRole(profile: UserProfile) {
      if (!allowedRoles.includes(profile.role)) {
        const roles = allowedRoles.map((r) => t(`common.staff.roles.${r}`)).join(t('common.staff.or'));
        throw new ApiError('forbidden', t('common.staff.wrongRole', { roles }), 403);
      }
    }

    /** The language this staff member chose (stored on the server, so it follows them); none: the browser's. */
    async function applyLocalePreference() {
      try {
        const { locale } = await agentsApi.myLocale(api);
        if (locale) await setLocale(locale);
      } catch {
        /* keep the browser's language; the app works without the preference */
      }
    }

    /** Switches the language now and keeps the choice on the account. */
    async function chooseLocale(locale: Locale) {
      await setLocale(locale);
      if (user.value) await agentsApi.saveMyLocale(api, locale);
    }

    async function login(email: string, password: string) {
      const res = await endpoints.login(api, email, password);
      checkRole(res.user);
      user.value = res.user;
      await applyLocalePreference();
    }

    /** Restore the profile of the cookie session; false when there is none or it is no longer valid. */
    async function restore(): Promise<boolean> {
      if (user.value) return true;
      // The readable CSRF cookie comes and goes with the session: without it there is nothing to ask about.
      if (!readCookie(CSRF_COOKIE)) return false;
      try {
        const profile = await endpoints.me(api);
        checkRole(profile);
        user.value = profile;
        await applyLocalePreference();
        return true;
      } catch (err) {
        if (err instanceof ApiError && (err.isUnauthorized || err.code === 'forbidden')) {
          clear();
          return false;
        }
        throw err;
      }
    }

    /** Clears the session cookies on the server (the only one that can), then the profile. */
    async function logout() {
      try {
        await endpoints.logout(api);
      } catch {
        /* offline: the cookie expires with the token */
      }
      clear();
    }

    return { user, api, isAuthenticated, login, restore, logout, clear, chooseLocale };
  });
}

/** A staff app's session store (`useSessionStore` of the workbench or the console). */
export type UseStaffSession = ReturnType<typeof defineSessionStore>;
