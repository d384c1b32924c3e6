import { expect, type Locator, type Page } from '@playwright/test';

/** Waits until the page's WebAssembly has taken over (the app marks <html> when it has). */
export async function hydrated(page: Page) {
  await expect(page.locator('html[data-hydrated]')).toHaveCount(1);
}

export async function signIn(page: Page, email: string, password: string) {
  await page.goto('/connexion');
  await hydrated(page);
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe').fill(password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Mon compte' })).toBeVisible();
}

export const DEMO_PASSWORD = 'coopole-demo-2026';

/** The site's main navigation, in the header. */
export function mainNav(page: Page): Locator {
  return page.getByRole('navigation', { name: 'Navigation principale' });
}

/**
 * Follows a link of the main navigation, as someone would: on a phone the navigation sits
 * behind "Menu", and a link of a group ("Salles", "Gestion"…) behind the group's name. Both are
 * opened first when they are closed; nothing is opened on a screen where they are not shown.
 */
export async function followNavLink(page: Page, name: string, group?: string) {
  const nav = mainNav(page);
  await openDetails(nav.locator('details.nav-menu'));
  if (group) {
    await openDetails(nav.locator('details.nav-group').filter({ has: page.locator('summary', { hasText: group }) }));
  }
  await nav.getByRole('link', { name, exact: true }).click();
}

/** Opens a <details> from its summary, if the summary shows and the details is closed. */
async function openDetails(details: Locator) {
  const summary = details.locator(':scope > summary');
  if ((await summary.isVisible()) && (await details.getAttribute('open')) === null) {
    await summary.click();
  }
}
