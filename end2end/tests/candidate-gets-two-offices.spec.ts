import { expect, test, type Page } from '@playwright/test';
import { DEMO_PASSWORD, followNavLink, hydrated, signIn } from './support';

function parisToday(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

async function signOut(page: Page) {
  await page.getByRole('navigation').getByRole('button', { name: 'Se déconnecter' }).click();
  await expect(page.getByRole('navigation').getByRole('link', { name: 'Se connecter' })).toBeVisible();
}

/** The share of units let this month, as the dashboard's key figures show it. */
async function unitsLet(page: Page): Promise<string> {
  await page.goto('/gestion/occupation');
  const figure = page.locator('dl.key-figures dt', { hasText: 'Lots loués (%)' }).locator('xpath=following-sibling::dd[1]');
  return (await figure.textContent()) ?? '';
}

/** How many units of the floor plan, over every floor, are let to `org`. */
async function unitsLetTo(page: Page, org: string): Promise<number> {
  let n = 0;
  for (const floor of [0, 1, 2]) {
    await page.goto(`/gestion/plan?etage=${floor}`);
    n += await page.locator('svg.plan a').filter({ has: page.locator('rect.let') }).filter({ hasText: `Loué à ${org}` }).count();
  }
  return n;
}

// Journey: an ESS cooperative applies for two offices and books a visit; the manager marks the
// visit done and puts it on the next committee's agenda; the committee sees how the candidate
// changes the hub's diversity and accepts it; the manager promises two offices, makes the
// organisation and signs the lease; occupancy goes up and the plan shows both offices let;
// the new referent gives notice and the forecast names the vacancy.
test('apply, visit, committee, lease for two offices, notice', async ({ page }) => {
  const org = `Coop des Quais ${Date.now() % 100000}`;
  const email = `quais-${Date.now()}@exemple.fr`;
  const password = 'une-phrase-de-passe-solide';

  // 1. The candidate applies and books a visit.
  await page.goto('/');
  await followNavLink(page, 'Candidater', 'Hébergement');
  await expect(page.getByRole('heading', { level: 1, name: 'Candidater pour un bureau, un poste ou un stockage' })).toBeVisible();
  await hydrated(page);
  await page.getByLabel('Nom de la structure').fill(org);
  await page.getByLabel('Forme juridique').selectOption('scop');
  await page.getByLabel('Secteur').selectOption('citizen_energy');
  await page.getByLabel('SIREN ou SIRET').fill('552 081 317');
  await page.getByLabel('Année de création').fill('2022');
  await page.getByLabel('Effectif (personnes)').fill('6');
  await page.getByLabel('Agrément ESUS').check();
  await page.getByLabel('Adresse', { exact: true }).fill('5 quai François Mitterrand, 44200 Nantes');
  await page.getByLabel('Personnes en bureau').fill('6');
  await page.getByLabel('À partir du').fill(parisToday());
  await page.getByLabel('Votre projet').fill('Des toitures solaires citoyennes sur l\'île.');
  await page.getByLabel('Ce que vous apporteriez à la coopération du pôle').fill('Des ateliers sur la sobriété énergétique.');
  await page.getByLabel('Nom du contact').fill('Jeanne Morvan');
  await page.getByLabel('E-mail du contact').fill(email);
  await page.locator('input[name="visit_slot"]:not([value=""])').first().check();
  await page.getByLabel('Nom', { exact: true }).fill('Jeanne Morvan');
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe').fill(password);
  await page.getByRole('button', { name: 'Envoyer la candidature' }).click();
  await expect(page.getByRole('heading', { level: 1, name: org })).toBeVisible();
  await expect(page.locator('h1 .badge')).toHaveText('Visite prévue');
  await signOut(page);

  // 2. The manager marks the visit done and puts the application on the committee's agenda.
  await signIn(page, 'gestion@coopole.example', DEMO_PASSWORD);
  const before = await unitsLet(page);
  await followNavLink(page, 'Candidatures', 'Hébergement');
  await page.getByRole('link', { name: org }).first().click();
  await hydrated(page);
  await page.getByRole('button', { name: 'Visite faite' }).click();
  await expect(page.locator('h1 .badge')).toHaveText('Visite faite');
  await page.getByRole('button', { name: "Inscrire à l'ordre du jour" }).click();

  // 3. The committee page shows the diversity panel with the candidate's effect.
  await expect(page.getByRole('heading', { level: 1, name: /^Comité du/ })).toBeVisible();
  const item = page.locator('article.agenda-item', { has: page.getByRole('heading', { name: org }) });
  await expect(item.getByRole('heading', { name: 'Diversité des structures hébergées' })).toBeVisible();
  await expect(item.locator('table.panel tr.candidate').first()).toContainText('SCOP');
  await expect(item.locator('table', { hasText: 'Cible' })).toContainText('Aucune forme juridique au-delà de 40');

  // 4. The decision, then the lease for two offices.
  await hydrated(page);
  await item.getByLabel('Décision').selectOption('accepted');
  await item.getByLabel('Pour', { exact: true }).fill('6');
  await item.getByLabel('Contre', { exact: true }).fill('0');
  await item.getByLabel('Abstentions').fill('1');
  await item.getByLabel('Motifs').fill('Projet coopératif, secteur peu représenté.');
  await item.getByRole('button', { name: 'Enregistrer la décision' }).click();
  await expect(page.locator('article.agenda-item', { hasText: org }).locator('.notice')).toContainText('Acceptée');
  await page.locator('article.agenda-item', { hasText: org }).getByRole('link', { name: org }).click();
  await hydrated(page);
  const officeBoxes = page.locator('fieldset', { hasText: 'Lots à promettre' }).locator('label', { hasText: ' · Bureau · ' }).locator('input[type="checkbox"]');
  await officeBoxes.nth(0).check();
  await officeBoxes.nth(1).check();
  await page.getByRole('button', { name: 'Enregistrer les lots promis' }).click();
  await expect(page.getByRole('heading', { name: 'Lots promis' })).toBeVisible();
  await page.getByRole('button', { name: 'Créer la structure et établir le bail' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Nouveau bail' })).toBeVisible();
  await hydrated(page);
  await page.getByRole('button', { name: 'Enregistrer le bail' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /^Bail n°/ })).toBeVisible();
  await expect(page.locator('dl.facts')).toContainText(org);

  // 5. Occupancy goes up, and the plan shows both offices let to the new organisation.
  const after = await unitsLet(page);
  expect(after).not.toEqual(before);
  expect(await unitsLetTo(page, org)).toBe(2);
  await signOut(page);

  // 6. The referent gives notice; the forecast names the vacancy.
  await signIn(page, email, password);
  await followNavLink(page, 'Nos baux', 'Hébergement');
  await page.getByRole('link', { name: /^Bail n°/ }).first().click();
  await hydrated(page);
  await page.getByLabel(/Je donne congé au nom de la structure/).check();
  await page.getByRole('button', { name: 'Donner congé' }).click();
  await expect(page.locator('.notice.warning')).toBeVisible();
  await signOut(page);
  await signIn(page, 'gestion@coopole.example', DEMO_PASSWORD);
  await page.goto('/gestion/occupation');
  await expect(page.locator('table', { hasText: 'Lots qui se libèrent dans les 12 mois' })).toContainText(org);
});
