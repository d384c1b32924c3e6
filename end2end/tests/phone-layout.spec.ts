import { expect, test } from '@playwright/test';

// The layout fits a 375 px wide phone: nothing scrolls sideways.
test.use({ viewport: { width: 375, height: 812 } });

for (const path of ['/', '/espaces', '/connexion', '/inscription', '/evenements/demande']) {
  test(`${path} fits a phone screen`, async ({ page }) => {
    await page.goto(path);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(375);
  });
}

test("the hall's page and its price table fit a phone screen", async ({ page }) => {
  await page.goto('/espaces?kind=hall');
  await page.getByRole('link', { name: 'Grande halle' }).click();
  await expect(page.getByRole('table')).toBeVisible();
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(375);
});
