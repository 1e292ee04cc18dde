import { computed, ref } from 'vue';
import { defineStore } from 'pinia';
import { createApiClient, endpoints } from './api';
import { ApiError } from './errors';
import { tokenStore } from './storage';
import type { Role, UserProfile } from '../../shared/agents';

/**
 * Staff session (token in localStorage + profile) for one app. The agent workbench and the admin console each
 * make their own store with their own storage key, so signing into one does not sign into the other.
 */
export function defineSessionStore(id: string, storageKey: string, allowedRoles: readonly Role[]) {
  return defineStore(id, () => {
    const tokens = tokenStore(storageKey);
    const token = ref<string | null>(tokens.get());
    const user = ref<UserProfile | null>(null);
    const api = createApiClient({ tokens, onUnauthorized: () => clear() });

    const isAuthenticated = computed(() => Boolean(token.value && user.value));

    function clear() {
      tokens.clear();
      token.value = null;
      user.value = null;
    }

    function checkRole(profile: UserProfile) {
      if (!allowedRoles.includes(profile.role)) {
        throw new ApiError('forbidden', `This app is for ${allowedRoles.join(' or ')} accounts.`, 403);
      }
    }

    async function login(email: string, password: string) {
      const res = await endpoints.login(api, email, password);
      checkRole(res.user);
      tokens.set(res.token);
      token.value = res.token;
      user.value = res.user;
    }

    /** Restore the profile for a stored token; false when there is none or it is no longer valid. */
    async function restore(): Promise<boolean> {
      if (!token.value) return false;
      if (user.value) return true;
      try {
        const profile = await endpoints.me(api);
        checkRole(profile);
        user.value = profile;
        return true;
      } catch (err) {
        if (err instanceof ApiError && (err.isUnauthorized || err.code === 'forbidden')) {
          clear();
          return false;
        }
        throw err;
      }
    }

    function logout() {
      clear();
    }

    return { token, user, api, isAuthenticated, login, restore, logout, clear };
  });
}
