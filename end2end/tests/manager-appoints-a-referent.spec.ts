import { expect, test } from '@playwright/test';
import { DEMO_PASSWORD, followNavLink, hydrated, signIn } from './support';

// Journey 2: a hub manager makes a member the referent of their organisation.
test('a manager makes a user the referent of an organisation', async ({ page }) => {
  await signIn(page, 'gestion@coopole.example', DEMO_PASSWORD);

  await followNavLink(page, 'Utilisateurs', 'Gestion');
  await expect(page.getByRole('heading', { level: 1, name: 'Utilisateurs' })).toBeVisible();
  await page.getByLabel('Rechercher par nom ou e-mail').fill('Lucas Fontaine');
  await page.getByRole('button', { name: 'Rechercher' }).click();
  await expect(page).toHaveURL(/q=Lucas/);
  await page.getByRole('link', { name: 'Modifier Lucas Fontaine' }).click();

  await expect(page.getByRole('heading', { level: 1, name: 'Lucas Fontaine' })).toBeVisible();
  await hydrated(page);
  await page.getByLabel('Structure', { exact: true }).selectOption({ label: "La Ressourcerie de l'Île" });
  await page.getByLabel('Profil', { exact: true }).selectOption({ label: "Membre d'une structure" });
  await page.getByLabel('Référent de sa structure').check();
  await page.getByRole('button', { name: 'Enregistrer' }).click();

  await expect(page.getByRole('status')).toContainText('Modifications enregistrées pour Lucas Fontaine.');
  const lucas = page.getByRole('row', { name: /Lucas Fontaine/ });
  await expect(lucas).toContainText("La Ressourcerie de l'Île · référent");

  // The previous referent stepped down.
  await page.getByLabel('Rechercher par nom ou e-mail').fill('Camille Robert');
  await page.getByRole('button', { name: 'Rechercher' }).click();
  const camille = page.getByRole('row', { name: /Camille Robert/ });
  await expect(camille).toContainText("La Ressourcerie de l'Île");
  await expect(camille).not.toContainText('référent');
});

test('a tenant does not see the users page, even by its address', async ({ page }) => {
  await signIn(page, 'membre@coopole.example', DEMO_PASSWORD);
  await expect(page.getByRole('navigation').getByRole('link', { name: 'Utilisateurs' })).toHaveCount(0);
  const response = await page.goto('/gestion/utilisateurs');
  expect(response?.status()).toBe(403);
  await expect(page.getByRole('alert')).toContainText("Vous n'avez pas accès");
});
