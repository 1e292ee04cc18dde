import type { Page } from 'playwright-core';
import { TEST_PASSWORD } from '../../helpers/stack.js';

export const WAIT = { timeout: 30_000 };

/** Signs a staff member in through the app's login form, as a person would, and waits for the app. */
export async function staffLogin(page: Page, url: string, email: string): Promise<void> {
  await page.goto(url);
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(TEST_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('current-user').waitFor(WAIT);
}
