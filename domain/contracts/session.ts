/**
 * Staff sessions of the agent and admin apps (api/auth/session-cookie.ts): the token lives in an
 * HttpOnly cookie the page cannot read; the page echoes the readable CSRF cookie in the CSRF header
 * on every state-changing request.
 */
export const SESSION_COOKIE = 'parley_session';
export const CSRF_COOKIE = 'parley_csrf';
export const CSRF_HEADER = 'X-CSRF-Token';
