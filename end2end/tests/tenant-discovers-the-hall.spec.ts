import { expect, test } from '@playwright/test';
import { followNavLink, hydrated } from './support';

// Journey 1: a newcomer signs up, signs in, looks for a space for at least 50 people, opens
// the hall, sees its halves and its three tier prices, reads it in English and back, signs out.
test('sign up, sign in, find the hall, read it in English, sign out', async ({ page }) => {
  const email = `camille.${Date.now()}@exemple.fr`;
  const password = 'une phrase de passe bien longue';

  await page.goto('/inscription');
  await hydrated(page);
  await page.getByLabel('Nom').fill('Camille Martin');
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe', { exact: true }).fill(password);
  await page.getByLabel('Confirmez le mot de passe').fill(password);
  await page.getByLabel('Vous êtes').selectOption({ label: "Membre d'une structure hébergée" });
  await page.getByRole('button', { name: 'Créer mon compte' }).click();

  await expect(page).toHaveURL(/\/connexion\?inscrit=1$/);
  await expect(page.getByRole('status')).toContainText('Votre compte est créé');
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe').fill(password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Mon compte' })).toBeVisible();
  await expect(page.getByText(email)).toBeVisible();

  await followNavLink(page, 'Espaces', 'Salles');
  await expect(page.getByRole('heading', { level: 1, name: 'Espaces du pôle' })).toBeVisible();
  await page.getByLabel('Capacité minimale (personnes)').fill('50');
  await page.getByRole('button', { name: 'Filtrer', exact: true }).click();
  await expect(page).toHaveURL(/min_capacity=50/);
  const results = page.getByRole('list', { name: 'Espaces trouvés' }).getByRole('listitem');
  await expect(results).toHaveCount(6);
  await expect(page.getByRole('status')).toContainText('6 espaces');

  await page.getByRole('link', { name: 'Grande halle' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Grande halle' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Se divise en' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Demi-halle nord' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Demi-halle sud' })).toBeVisible();
  const prices = page.getByRole('table');
  for (const tier of ['Structure hébergée', 'Membre du réseau ESS', 'Structure extérieure']) {
    await expect(prices.getByRole('columnheader', { name: tier })).toBeVisible();
  }
  const dayRow = prices.getByRole('row', { name: /Journée/ });
  await expect(dayRow).toContainText('840,00\u00a0€');
  await expect(dayRow).toContainText('1\u202f020,00\u00a0€');
  await expect(dayRow).toContainText('1\u202f200,00\u00a0€');

  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('heading', { name: 'Divides into' })).toBeVisible();
  await expect(prices.getByRole('columnheader', { name: 'Outside organisation' })).toBeVisible();
  await expect(prices.getByRole('row', { name: /Day/ })).toContainText('€1,200.00');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  // The choice survives a reload: it is kept in a cookie.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Divides into' })).toBeVisible();
  await hydrated(page);

  await page.getByRole('button', { name: 'Français' }).click();
  await expect(page.getByRole('heading', { name: 'Se divise en' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');

  await page.getByRole('button', { name: 'Se déconnecter' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('navigation').getByRole('link', { name: 'Se connecter' })).toBeVisible();
  await page.goto('/compte');
  await expect(page).toHaveURL(/\/connexion\?next=\/compte$/);
});
