import { expect, test, type Page } from '@playwright/test';
import { DEMO_PASSWORD, hydrated, signIn } from './support';

/** A Paris date `days` from today, moved forward to the next Tuesday, as YYYY-MM-DD. */
function tuesdayAfter(days: number): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' })
    .format(new Date())
    .split('-')
    .map(Number);
  const d = new Date(Date.UTC(parts[0], parts[1] - 1, parts[2] + days));
  d.setUTCDate(d.getUTCDate() + ((2 - d.getUTCDay() + 7) % 7));
  return d.toISOString().slice(0, 10);
}

function dayBefore(date: string): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

async function signOut(page: Page) {
  await page.getByRole('navigation').getByRole('button', { name: 'Se déconnecter' }).click();
  await expect(page.getByRole('navigation').getByRole('link', { name: 'Se connecter' })).toBeVisible();
}

// Journey: an outside organiser asks for the whole hall for a 300-person conference next
// month, set-up the evening before; the manager sends a quote with a 10 % discount; the
// organiser accepts it in the portal; the manager confirms; a tenant trying to book the north
// half that evening is refused with a message naming the event's set-up.
test('request the hall, quote, accept, confirm; the set-up blocks the half hall', async ({ page }) => {
  const day = tuesdayAfter(35);
  const email = `congres-${Date.now()}@exemple.fr`;
  const password = 'une-phrase-de-passe-solide';

  // 1. The request, from a visitor.
  await page.goto('/');
  await page.getByRole('navigation').getByRole('link', { name: 'Organiser un événement' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Organiser un événement au pôle' })).toBeVisible();
  await hydrated(page);
  await page.getByLabel("Nom de l'événement").fill("Congrès régional de l'ESS");
  await page.getByLabel("Type d'événement").selectOption('conference');
  await page.getByLabel('Premier jour').fill(day);
  await page.getByLabel('Début').fill('09:00');
  await page.getByLabel('Fin', { exact: true }).fill('18:00');
  await page.getByLabel('Participants attendus').fill('300');
  await page.getByRole('checkbox', { name: /^Grande halle/ }).check();
  await expect(page.getByLabel('Disposition — Grande halle')).toContainText('Théâtre : 800 places');
  await page.getByLabel('Disposition — Grande halle').selectOption({ label: 'Théâtre : 800 places' });
  await page.getByLabel('Installation (heures avant)').fill('15');
  await page.getByLabel('Démontage (heures après)').fill('3');
  await page.getByLabel('Sonorisation').check();
  await page.getByLabel('Nom', { exact: true }).fill('Nour Benali');
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe').fill(password);
  await page.getByRole('button', { name: 'Envoyer la demande' }).click();
  await expect(page.getByRole('heading', { level: 1, name: "Congrès régional de l'ESS" })).toBeVisible();
  await expect(page.locator('.lead .badge')).toHaveText('Demande');
  await signOut(page);

  // 2. The manager quotes, 10 % off.
  await signIn(page, 'gestion@coopole.example', DEMO_PASSWORD);
  await page.getByRole('navigation').getByRole('link', { name: 'Événements' }).click();
  await page.getByRole('link', { name: "Congrès régional de l'ESS" }).first().click();
  await hydrated(page);
  await page.getByRole('button', { name: 'Préparer le devis' }).click();
  await expect(page.getByRole('heading', { name: 'Devis en préparation' })).toBeVisible();
  await expect(page.locator('table.quote').first()).toContainText('Grande halle — Journée');
  await page.getByLabel('Remise (%)').fill('10');
  await page.getByLabel('Motif de la remise').fill('Membre du réseau ESS');
  await page.getByRole('button', { name: 'Enregistrer la remise et la validité' }).click();
  await expect(page.locator('table.quote').first()).toContainText('Remise 10');
  await page.getByRole('button', { name: 'Envoyer le devis' }).click();
  await expect(page.locator('.lead .badge')).toHaveText('Devis envoyé');
  await signOut(page);

  // 3. The organiser accepts it in the portal.
  await signIn(page, email, password);
  await page.getByRole('navigation').getByRole('link', { name: 'Mes événements' }).click();
  await page.getByRole('link', { name: "Congrès régional de l'ESS" }).click();
  await hydrated(page);
  await expect(page.locator('table.quote')).toContainText('Remise 10');
  await expect(page.locator('table.quote')).toContainText('Total TTC');
  await page.getByRole('button', { name: 'Accepter le devis' }).click();
  await expect(page.getByText('Accepté', { exact: true })).toBeVisible();
  await signOut(page);

  // 4. The manager confirms: the deposit is due.
  await signIn(page, 'gestion@coopole.example', DEMO_PASSWORD);
  await page.goto('/gestion/evenements');
  await page.getByRole('link', { name: "Congrès régional de l'ESS" }).first().click();
  await hydrated(page);
  await page.getByRole('button', { name: "Confirmer l'événement" }).click();
  await expect(page.locator('.lead .badge')).toHaveText('Confirmé');
  await expect(page.getByText(/Acompte/)).toBeVisible();
  await signOut(page);

  // 5. A tenant tries the north half on the evening of the set-up.
  await signIn(page, 'membre@coopole.example', DEMO_PASSWORD);
  await page.goto('/espaces?kind=hall');
  await page.getByRole('link', { name: 'Demi-halle nord' }).click();
  await page.getByRole('link', { name: 'Réserver cet espace' }).click();
  await hydrated(page);
  await page.getByLabel('Objet de la réunion').fill('Répétition');
  await page.getByLabel('Date').fill(dayBefore(day));
  await page.getByLabel('Début').fill('19:00');
  await page.getByLabel('Fin').fill('21:00');
  await page.getByLabel('Nombre de personnes').fill('20');
  await page.getByRole('button', { name: 'Réserver', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText("Demi-halle nord est en cours d'installation pour un événement");
  await expect(page.getByRole('alert')).not.toContainText('Congrès');
});
