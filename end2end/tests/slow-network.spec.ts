import { expect, test, type Page } from '@playwright/test';
import { DEMO_PASSWORD, mainNav, signIn } from './support';

// A phone on a slow mobile network: pages show their content as soon as their HTML and style
// sheet are in, without waiting for the WebAssembly, and their forms and links work before it
// has come. Once it comes, the page's islands come to life; the timings are logged, not judged.
test.use({ viewport: { width: 375, height: 740 } });

// Chrome DevTools' "Slow 4G" preset (called "Fast 3G" until May 2024): `Slow4GConditions` in
// devtools-frontend, front_end/core/sdk/NetworkManager.ts. ~1.6 Mbps down and ~0.75 Mbps up,
// each times 0.9, and a 150 ms round trip times 3.75 as the latency DevTools applies to a request.
const SLOW_4G = {
  offline: false,
  downloadThroughput: ((1.6 * 1000 * 1000) / 8) * 0.9, // 180 000 bytes/s
  uploadThroughput: ((750 * 1000) / 8) * 0.9, // 84 375 bytes/s
  latency: 150 * 3.75, // 562.5 ms
};

// On that network a page takes seconds: the expectations wait longer than the default 10 s.
const PATIENT = { timeout: 30_000 };

/** The page's network is Slow 4G from now on, and its WebAssembly is held until `release()`. */
async function slowNetworkWithoutCode(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', SLOW_4G);
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const held: string[] = [];
  await page.route('**/*.wasm', async (route) => {
    held.push(route.request().url());
    await released;
    // The page may have been left meanwhile, which cancels the request: nothing to continue.
    await route.continue().catch(() => undefined);
  });
  return { cdp, held, release };
}

/** Opens a page without waiting for its `load` event, which a held preload would delay. */
async function open(page: Page, path: string) {
  await page.goto(path, { waitUntil: 'domcontentloaded' });
}

/** The page's content shows, and its code has not run (it cannot have: it is held). */
async function readableWithoutCode(page: Page) {
  await expect(page.locator('main h1')).toBeVisible(PATIENT);
  await expect(page.locator('html[data-hydrated]')).toHaveCount(0);
}

test('before the code comes, a visitor reads the pages and signs in, and a tenant reads theirs', async ({ page }) => {
  test.slow();
  const { release } = await slowNetworkWithoutCode(page);

  for (const path of ['/', '/espaces', '/evenements/demande', '/connexion']) {
    await open(page, path);
    await readableWithoutCode(page);
  }

  // Signing in is a form that posts, then a redirect to the account page.
  await page.getByLabel('Adresse e-mail').fill('membre@coopole.example');
  await page.getByLabel('Mot de passe').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Mon compte' })).toBeVisible(PATIENT);
  // The header has the signed-in links (behind the phone's closed menu, hence hidden).
  await expect(mainNav(page).getByRole('link', { name: 'Mon compte', includeHidden: true })).toHaveCount(1);
  await expect(page.locator('html[data-hydrated]')).toHaveCount(0);

  for (const path of ['/reserver', '/calendrier', '/mes-reservations']) {
    await open(page, path);
    await readableWithoutCode(page);
  }
  release();
});

/** In the page, from its very start: when <html> gets `data-hydrated` (the app's code has run). */
function recordHydration() {
  new MutationObserver((_, observer) => {
    if (document.documentElement?.hasAttribute('data-hydrated')) {
      (window as Window & { coopoleHydratedAt?: number }).coopoleHydratedAt = performance.now();
      observer.disconnect();
    }
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-hydrated'] });
}

type Timings = {
  htmlResponseEnd: number;
  firstContentfulPaint: number | null;
  wasmResponseEnd: number | null;
  wasmKilobytes: number | null;
  hydratedAt: number | null;
};

/** The page's timeline so far, in milliseconds from the start of its navigation. */
async function timings(page: Page): Promise<Timings> {
  return page.evaluate(() => {
    const [navigation] = performance.getEntriesByType('navigation') as PerformanceNavigationTiming[];
    const paint = performance.getEntriesByName('first-contentful-paint')[0];
    // The preload and the code's own fetch may be two entries: the later one counts.
    const wasm = (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
      .filter((entry) => new URL(entry.name).pathname.endsWith('.wasm'))
      .sort((a, b) => a.responseEnd - b.responseEnd)
      .at(-1);
    return {
      htmlResponseEnd: navigation.responseEnd,
      firstContentfulPaint: paint?.startTime ?? null,
      wasmResponseEnd: wasm?.responseEnd ?? null,
      wasmKilobytes: wasm ? Math.round(wasm.encodedBodySize / 1024) : null,
      hydratedAt: (window as Window & { coopoleHydratedAt?: number }).coopoleHydratedAt ?? null,
    };
  });
}

/** Logs the timings, in the output and in the report's annotations. */
function report(what: string, t: Timings) {
  const ms = (value: number | null) => (value === null ? 'n/a' : `${Math.round(value)} ms`);
  const line =
    `${what}: HTML in at ${ms(t.htmlResponseEnd)}, first contentful paint ${ms(t.firstContentfulPaint)}, ` +
    `WebAssembly (${t.wasmKilobytes ?? '?'} KB) in at ${ms(t.wasmResponseEnd)}, hydrated at ${ms(t.hydratedAt)}`;
  console.log(line);
  test.info().annotations.push({ type: 'Slow 4G timings', description: line });
}

test("the booking form's island comes to life once its code comes", async ({ page }) => {
  test.slow();
  // Found at full speed: a meeting room's booking form, from the room's page.
  await signIn(page, 'membre@coopole.example', DEMO_PASSWORD);
  await page.goto('/espaces?kind=meeting_room');
  await page.getByRole('main').getByRole('link', { name: 'Salle Erdre', exact: true }).click();
  const bookingForm = await page.getByRole('main').locator('a[href^="/reserver/nouvelle?space="]').first().getAttribute('href');
  expect(bookingForm, "a link to the room's booking form").toMatch(/^\/reserver\/nouvelle\?space=\d+$/);
  const form = bookingForm ?? '';
  await page.addInitScript(recordHydration);

  // The form shows, island and all, while its code is held.
  const { cdp, held, release } = await slowNetworkWithoutCode(page);
  await open(page, form);
  await expect(page.getByRole('heading', { level: 1, name: 'Nouvelle réservation' })).toBeVisible(PATIENT);
  await expect(page.locator('leptos-island').first()).toBeAttached();
  await expect.poll(() => held.length, { message: 'the page asks for its WebAssembly', ...PATIENT }).toBeGreaterThan(0);
  await expect(page.locator('html[data-hydrated]')).toHaveCount(0);

  // Released, the code comes and runs.
  release();
  await expect(page.locator('html[data-hydrated]')).toHaveCount(1, { timeout: 60_000 });

  // The same page again, on the same network, nothing held and nothing cached: its natural timeline.
  await page.unrouteAll({ behavior: 'ignoreErrors' });
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await open(page, form);
  await expect(page.getByRole('heading', { level: 1, name: 'Nouvelle réservation' })).toBeVisible(PATIENT);
  await expect(page.locator('html[data-hydrated]')).toHaveCount(1, { timeout: 60_000 });
  const t = await timings(page);
  report(`${form} on Slow 4G`, t);
  expect(t.hydratedAt, 'the time the page was hydrated').not.toBeNull();
});
