import { expect, test } from '@playwright/test';
import { DEMO_PASSWORD, followNavLink, mainNav } from './support';

// Before the WebAssembly has loaded (or when it never does), forms and links still work.
test.use({ javaScriptEnabled: false });

test('sign in, filter, switch language and read errors without JavaScript', async ({ page }) => {
  await page.goto('/connexion');
  await page.getByLabel('Adresse e-mail').fill('membre@coopole.example');
  await page.getByLabel('Mot de passe').fill('pas le bon mot de passe');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('alert')).toContainText('Adresse e-mail ou mot de passe incorrect.');

  await page.getByLabel('Mot de passe').fill(DEMO_PASSWORD);
  await page.getByLabel('Adresse e-mail').fill('membre@coopole.example');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Mon compte' })).toBeVisible();

  await page.goto('/espaces');
  await page.getByLabel("Type d'espace").selectOption({ label: 'Halle' });
  await page.getByRole('button', { name: 'Filtrer', exact: true }).click();
  await expect(page.getByRole('list', { name: 'Espaces trouvés' }).getByRole('listitem')).toHaveCount(3);

  await page.goto('/espaces?min_capacity=beaucoup');
  await expect(page.getByRole('alert')).toContainText('Indiquez un nombre entier positif.');

  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('heading', { level: 1, name: "The hub's spaces" })).toBeVisible();
  await page.getByRole('button', { name: 'Français' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Espaces du pôle' })).toBeVisible();
});

test('the navigation opens without JavaScript, on a computer and on a phone', async ({ page }) => {
  await page.goto('/connexion');
  await page.getByLabel('Adresse e-mail').fill('gestion@coopole.example');
  await page.getByLabel('Mot de passe').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Mon compte' })).toBeVisible();

  // A computer: one bar, and a group's links drop down from its name.
  const nav = mainNav(page);
  const users = nav.getByRole('link', { name: 'Utilisateurs', includeHidden: true });
  await expect(nav.getByRole('link', { name: 'Mon compte' })).toBeVisible();
  await expect(users).toBeHidden();
  await followNavLink(page, 'Utilisateurs', 'Gestion');
  await expect(page.getByRole('heading', { level: 1, name: 'Utilisateurs' })).toBeVisible();
  await expect(users).toHaveAttribute('aria-current', 'page');

  // A phone: the whole navigation behind "Menu".
  await page.setViewportSize({ width: 375, height: 740 });
  await expect(nav.getByRole('link', { name: 'Mon compte', includeHidden: true })).toBeHidden();
  await followNavLink(page, 'Structures', 'Gestion');
  await expect(page.getByRole('heading', { level: 1, name: 'Structures' })).toBeVisible();
});
