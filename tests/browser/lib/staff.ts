import type { Page } from 'playwright-core';
import { TEST_PASSWORD } from '../../helpers/stack.js';

export const WAIT = { timeout: 30_000 };

/** Signs a staff member in through the app's login form, as a person would, and waits for the app. */
export async function staffLogin(page: Page, url: string, email: string): Promise<void> {
  await page.goto(url);
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(TEST_PASSWORD);
  await page.getByTestId('login-submit').click();
  // The app, or the form's refusal (said at once); a loaded CI machine may take a while to load the app.
  await page.getByTestId('current-user').or(page.getByTestId('login-error')).first().waitFor({ timeout: 60_000 });
  const refusal = page.getByTestId('login-error');
  if (await refusal.isVisible()) throw new Error(`${email} could not sign in at ${url}: ${await refusal.textContent()}`);
}
