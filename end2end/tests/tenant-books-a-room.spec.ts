import { expect, test, type Page } from '@playwright/test';
import { DEMO_PASSWORD, followNavLink, hydrated, signIn } from './support';

/** Next Thursday (a week ahead if today is Thursday), as YYYY-MM-DD in Paris. */
function nextThursday(): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' })
    .format(new Date())
    .split('-')
    .map(Number);
  const today = new Date(Date.UTC(parts[0], parts[1] - 1, parts[2]));
  const ahead = ((4 - today.getUTCDay() + 7) % 7) || 7;
  today.setUTCDate(today.getUTCDate() + ahead);
  return today.toISOString().slice(0, 10);
}

async function signOut(page: Page) {
  await page.getByRole('navigation').getByRole('button', { name: 'Se déconnecter' }).click();
  await expect(page.getByRole('navigation').getByRole('link', { name: 'Se connecter' })).toBeVisible();
}

// Journey: a tenant finds a free room for 8 people next Thursday afternoon, books it, sees it
// in "my bookings" with its price and remaining included hours, fetches the calendar feed;
// a tenant of another organisation trying the same slot is told it is taken; the first cancels.
test('find a free room, book it, follow it in a calendar, then cancel', async ({ page }) => {
  const thursday = nextThursday();
  await signIn(page, 'membre@coopole.example', DEMO_PASSWORD);

  await followNavLink(page, 'Réserver', 'Salles');
  await expect(page.getByRole('heading', { level: 1, name: 'Réserver une salle' })).toBeVisible();
  await page.getByLabel('Date').fill(thursday);
  await page.getByLabel('Début').fill('14:00');
  await page.getByLabel('Fin').fill('16:00');
  await page.getByLabel('Nombre de personnes').fill('8');
  await page.getByLabel('Vidéoprojecteur').check();
  await page.getByRole('button', { name: 'Chercher' }).click();

  const results = page.getByRole('list', { name: 'Espaces libres' }).getByRole('listitem');
  await expect(results.first()).toContainText('Salle Erdre');
  await page.getByRole('link', { name: 'Réserver Salle Erdre' }).click();

  await expect(page.getByRole('heading', { level: 1, name: 'Nouvelle réservation' })).toBeVisible();
  await hydrated(page);
  await expect(page.getByLabel('Date')).toHaveValue(thursday);
  await page.getByLabel('Objet de la réunion').fill('Comité de pilotage');
  await page.getByRole('button', { name: 'Réserver', exact: true }).click();

  await expect(page.getByRole('heading', { level: 1, name: 'Mes réservations' })).toBeVisible();
  await expect(page.getByRole('status').first()).toContainText('Réservation enregistrée.');
  const booking = page.getByRole('listitem').filter({ hasText: 'Comité de pilotage' });
  await expect(booking).toContainText('Salle Erdre');
  await expect(booking).toContainText('de 14:00 à 16:00');
  await expect(booking).toContainText('Inclus dans vos heures');
  // The month of the booking shows what is left of its six included hours. The demo's own
  // bookings already use some of them, so the exact figure depends on the day the demo was seeded.
  const month = page.getByRole('region').filter({ hasText: "La Ressourcerie de l'Île" }).filter({ hasText: 'Heures incluses restantes' });
  await expect(month.last()).toContainText(/Heures incluses restantes\s*\d+\u00a0h(\u00a0\d+)?( sur |\u00a0sur\u00a0)6\u00a0h/);

  // A calendar feed with the booking in it.
  await page.getByRole('navigation').getByRole('link', { name: 'Mon compte' }).click();
  await hydrated(page);
  await page.getByRole('button', { name: "Créer ou renouveler mon adresse d'agenda" }).click();
  const address = page.locator('code.feed-url');
  await expect(address).toContainText('/agenda/');
  const url = (await address.textContent()) ?? '';
  const feed = await page.request.get(url);
  expect(feed.status()).toBe(200);
  expect(feed.headers()['content-type']).toContain('text/calendar');
  const ics = await feed.text();
  expect(ics).toContain('BEGIN:VCALENDAR');
  expect(ics).toContain('BEGIN:VEVENT');
  expect(ics).toContain('SUMMARY:Comité de pilotage');
  expect(ics).toContain('LOCATION:Salle Erdre');
  expect(ics.trim().endsWith('END:VCALENDAR')).toBe(true);
  await signOut(page);

  // Another organisation's member tries the same slot.
  await signIn(page, 'voisin@coopole.example', DEMO_PASSWORD);
  await page.goto('/espaces?kind=meeting_room');
  await page.getByRole('link', { name: 'Salle Erdre' }).click();
  await page.getByRole('link', { name: 'Réserver cet espace' }).click();
  await hydrated(page);
  await page.getByLabel('Objet de la réunion').fill('Atelier vélo');
  await page.getByLabel('Date').fill(thursday);
  await page.getByLabel('Début').fill('15:00');
  await page.getByLabel('Fin').fill('16:30');
  await page.getByLabel('Nombre de personnes').fill('8');
  // Before they send it, the form's live answer (the island) says the slot is taken, and
  // answers again as they try another slot and come back.
  const answer = page.locator('#apercu-creneau');
  await expect(answer).toContainText('Créneau déjà pris : Salle Erdre est réservé le jeudi');
  await page.getByLabel('Début').fill('16:30');
  await page.getByLabel('Fin').fill('17:30');
  await expect(answer).toContainText('Ce créneau est libre');
  await page.getByLabel('Début').fill('15:00');
  await page.getByLabel('Fin').fill('16:30');
  await expect(answer).toContainText('Créneau déjà pris');
  await page.getByRole('button', { name: 'Réserver', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('Créneau déjà pris : Salle Erdre est réservé le jeudi');
  await expect(page.getByRole('alert')).toContainText('de 14:00 à 16:00');
  // They see the slot as taken in the calendar, without its title.
  await page.goto(`/calendrier?vue=jour&date=${thursday}`);
  const erdre = page.getByRole('row', { name: /Salle Erdre/ });
  await expect(erdre.getByRole('img', { name: /^Pris, 14:00–16:15/ })).toBeVisible();
  await expect(page.getByText('Comité de pilotage')).toHaveCount(0);
  await signOut(page);

  // The first tenant cancels.
  await signIn(page, 'membre@coopole.example', DEMO_PASSWORD);
  await followNavLink(page, 'Mes réservations', 'Salles');
  await page.getByRole('link', { name: 'Comité de pilotage' }).click();
  await hydrated(page);
  await page.getByRole('button', { name: 'Annuler la réservation' }).click();
  await expect(page.getByRole('status').first()).toContainText('Réservation annulée.');
  const cancelled = page.getByRole('listitem').filter({ hasText: 'Comité de pilotage' });
  await expect(cancelled).toContainText('Annulée');
});
