import { expect, test, type Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { DEMO_PASSWORD, followNavLink, hydrated, signIn } from './support';

/** "décembre 2026" for this month (offset 0) or the next (1), as the run pages name them. */
function monthName(offset: number): string {
  const [year, month] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit' })
    .format(new Date())
    .split('-')
    .map(Number);
  const d = new Date(Date.UTC(year, month - 1 + offset, 15));
  return new Intl.DateTimeFormat('fr-FR', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(d);
}

async function signOut(page: Page) {
  await page.getByRole('navigation').getByRole('button', { name: 'Se déconnecter' }).click();
  await expect(page.getByRole('navigation').getByRole('link', { name: 'Se connecter' })).toBeVisible();
}

// Journey: the manager previews next month's run and issues it; opens an invoice of this
// month's run and downloads its PDF, records a partial payment and issues a credit note, and
// lets the organisation's members see its invoices; a member then sees the payment and what
// is left to pay.
test('preview and issue a run, record a payment, credit an invoice; a member sees the balance', async ({ page }) => {
  await signIn(page, 'gestion@coopole.example', DEMO_PASSWORD);

  // 1. Next month's run: its preview, then issuing it.
  await followNavLink(page, 'Facturation', 'Gestion');
  await expect(page.getByRole('heading', { level: 1, name: 'Facturation' })).toBeVisible();
  await page.getByRole('link', { name: monthName(1) }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Facturation de ${monthName(1)}` })).toBeVisible();
  await expect(page.getByRole('alert')).toContainText("n'a pas d'identité de facturation");
  const drafts = page.getByRole('table').first().getByRole('row');
  expect(await drafts.count()).toBeGreaterThan(5);
  await hydrated(page);
  await page.getByRole('button', { name: 'Émettre le lot' }).click();
  // The issuer works in the background; the page follows it until the run is issued.
  await expect
    .poll(
      async () => {
        await page.reload();
        return page.locator('p.lead').first().textContent();
      },
      { timeout: 30_000 },
    )
    .toContain('Émis');
  await expect(page.getByRole('button', { name: 'Émettre le lot' })).toHaveCount(0);
  await expect(page.getByRole('cell', { name: /^FA-\d{4}-\d{6}$/ }).first()).toBeVisible();

  // 2. This month's invoice to La Ressourcerie de l'Île, with its mentions.
  await page.getByRole('link', { name: '← Tous les lots' }).click();
  await page.getByRole('link', { name: monthName(0) }).click();
  await page.getByRole('link', { name: "La Ressourcerie de l'Île" }).click();
  await expect(page.getByRole('heading', { level: 1, name: /^Facture FA-\d{4}-\d{6}$/ })).toBeVisible();
  await expect(page.getByText('Indemnité forfaitaire pour frais de recouvrement')).toBeVisible();
  await expect(page.getByText(/^Pénalités de retard/)).toBeVisible();
  // Its Factur-X PDF downloads, named after its number.
  const downloading = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Télécharger le PDF (Factur-X)' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^FA-\d{4}-\d{6}\.pdf$/);
  const pdf = await readFile(await download.path());
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  expect(pdf.includes('factur-x.xml')).toBeTruthy();

  // 3. A partial payment, then a credit note on one line.
  await hydrated(page);
  await page.getByLabel('Moyen de paiement').selectOption({ label: 'Virement' });
  await page.getByLabel('Montant TTC').fill('50');
  await page.getByLabel(/^Référence/).fill('VIR RESSOURCERIE');
  await page.getByRole('button', { name: 'Enregistrer un paiement' }).click();
  const payments = page.getByRole('heading', { name: 'Paiements' }).locator('xpath=following-sibling::ul');
  await expect(payments).toContainText('50,00');
  await expect(payments).toContainText('VIR RESSOURCERIE');
  // Too much is refused, with the amount left to pay.
  await page.getByLabel('Montant TTC').fill('100000');
  await page.getByRole('button', { name: 'Enregistrer un paiement' }).click();
  await expect(page.getByText(/Le paiement dépasse ce qui reste dû/)).toBeVisible();

  const invoiceUrl = page.url();
  await page.getByLabel('Ligne à créditer').selectOption({ index: 1 });
  await page.getByLabel('Montant HT à créditer').fill('10');
  await page.getByLabel("Motif de l'avoir").fill('Geste commercial : panne de chauffage');
  await page.getByRole('button', { name: 'Émettre un avoir' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /^Avoir AV-\d{4}-\d{6}$/ })).toBeVisible();
  await expect(page.getByText('Rectifie la facture')).toBeVisible();
  await page.goto(invoiceUrl);
  await expect(page.getByRole('heading', { name: 'Avoirs' })).toBeVisible();

  // 4. The manager lets the Ressourcerie's members see its invoices; a member then sees the
  // payment and the balance (whether or not an earlier journey made them the referent).
  await followNavLink(page, 'Structures', 'Gestion');
  await page
    .getByRole('row', { name: /La Ressourcerie de l'Île/ })
    .getByRole('link', { name: 'Identité de facturation' })
    .click();
  await expect(page.getByRole('heading', { level: 1, name: "Facturation de La Ressourcerie de l'Île" })).toBeVisible();
  await hydrated(page);
  await page.getByLabel('Les membres de la structure voient ses factures').check();
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(page.getByRole('status')).toContainText('Identité de facturation enregistrée');
  await signOut(page);

  await signIn(page, 'membre@coopole.example', DEMO_PASSWORD);
  await followNavLink(page, 'Mes factures');
  await expect(page.getByRole('heading', { level: 1, name: 'Mes factures' })).toBeVisible();
  await expect(page.getByText(/^Reste à payer : /)).toBeVisible();
  await expect(page.getByRole('link', { name: /^Avoir AV-/ })).toBeVisible();
  await expect(page.getByText('VIR RESSOURCERIE')).toBeVisible();
});
