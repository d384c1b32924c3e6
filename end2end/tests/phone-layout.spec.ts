import { expect, test, type Page } from '@playwright/test';
import { DEMO_PASSWORD, hydrated, mainNav, signIn } from './support';

// The layout fits a 375 px wide phone: for each role, no page it can reach scrolls sideways.
// Each test visits its role's pages, notes every page wider than the screen (and by how much),
// and fails once at the end with the whole list.
const PHONE = { width: 375, height: 740 };
test.use({ viewport: PHONE });

const BOOKING = /^\/reservations\/\d+$/;
const EVENT = /^\/evenements\/\d+$/;
const LEASE = /^\/baux\/\d+$/;

/**
 * In the page: the innermost elements that reach past the right edge of the screen outside any
 * box that scrolls or clips, named by tag and classes, to say in the failure message what to fix.
 */
function beyondTheScreen(): string {
  const edge = document.documentElement.clientWidth + 0.5;
  const inBox = (element: Element): boolean => {
    for (let up = element.parentElement; up && up !== document.body; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== 'visible') return true;
    }
    return false;
  };
  const wide = Array.from(document.body.querySelectorAll('*')).filter(
    (element) => element.getBoundingClientRect().right > edge && !inBox(element),
  );
  const innermost = wide.filter((element) => !wide.some((other) => other !== element && element.contains(other)));
  const name = (element: Element) => [element.tagName.toLowerCase(), ...Array.from(element.classList)].join('.');
  return innermost.slice(0, 4).map(name).join(', ') || 'something positioned out of a box that scrolls';
}

/** One role's visit of its pages on the phone: what does not fit, or is not there, is noted. */
class PhoneTour {
  private readonly problems: string[] = [];

  constructor(
    private readonly page: Page,
    private readonly who: string,
  ) {}

  /** Opens a page (none when its link was not found: that is noted already) and measures it. */
  async visit(path: string | undefined) {
    if (!path) return;
    const response = await this.page.goto(path);
    if (!response?.ok()) {
      this.problems.push(`${path} answered ${response?.status() ?? 'nothing'}`);
      return;
    }
    // Measured once the page's code has run, with whatever its islands add.
    await hydrated(this.page);
    await this.measure(path);
  }

  /** Notes the page if it is wider than the phone. */
  async measure(what: string) {
    const width = await this.page.evaluate(() => document.documentElement.scrollWidth);
    if (width > PHONE.width) {
      const culprits = await this.page.evaluate(beyondTheScreen);
      this.problems.push(`${what}: ${width} px wide, ${width - PHONE.width} px too wide (${culprits})`);
    }
  }

  /** The addresses of the links in the current page's content that match `pattern`. */
  async links(pattern: RegExp): Promise<string[]> {
    const hrefs = await this.page
      .getByRole('main')
      .locator('a[href]')
      .evaluateAll((links) => links.map((link) => link.getAttribute('href') ?? ''));
    return hrefs.filter((href) => pattern.test(href));
  }

  /** The first link of the current page matching `pattern`; its absence is noted. */
  async link(pattern: RegExp): Promise<string | undefined> {
    const [href] = await this.links(pattern);
    if (!href) this.problems.push(`no link matching ${pattern} on ${this.here()}`);
    return href;
  }

  /** The address of the current page's link named `name`; its absence is noted. */
  async linkNamed(name: string): Promise<string | undefined> {
    const link = this.page.getByRole('main').getByRole('link', { name, exact: true }).first();
    const href = (await link.count()) > 0 ? await link.getAttribute('href') : null;
    if (!href) this.problems.push(`no link "${name}" on ${this.here()}`);
    return href ?? undefined;
  }

  /** The phone's menu, open on the home page, then each of its groups open in turn, fits too. */
  async openMenu() {
    await this.visit('/');
    const nav = mainNav(this.page);
    await nav.locator('details.nav-menu > summary').click();
    await expect(nav.getByRole('link', { name: 'Accueil' })).toBeVisible();
    await this.measure('/ with the menu open');
    for (const summary of await nav.locator('details.nav-group > summary').all()) {
      await summary.click();
      await this.measure(`/ with the menu's group "${(await summary.textContent())?.trim()}" open`);
    }
  }

  /** Notes a problem that is not a page's width (a page missing what it should link to). */
  note(problem: string) {
    this.problems.push(problem);
  }

  /** Fails, once, with every page that did not fit. */
  check() {
    expect(this.problems, `${this.who}, on a ${PHONE.width} px phone:\n  ${this.problems.join('\n  ')}`).toEqual([]);
  }

  private here(): string {
    const url = new URL(this.page.url());
    return url.pathname + url.search;
  }
}

/** The catalogue, the hall's page (its price table) and a meeting room's page, whose links give
 * the room's booking form and its door display. */
async function spaces(tour: PhoneTour): Promise<{ newBooking?: string; door?: string }> {
  await tour.visit('/');
  await tour.visit('/espaces');
  await tour.visit('/espaces?kind=hall');
  await tour.visit(await tour.linkNamed('Grande halle'));
  await tour.visit('/espaces?kind=meeting_room');
  const room = await tour.linkNamed('Salle Erdre');
  if (!room) return {};
  await tour.visit(room);
  return {
    newBooking: await tour.link(/^\/reserver\/nouvelle\?space=\d+$/),
    door: await tour.link(/^\/ecran\/[^/?#]+$/),
  };
}

test('a visitor: every page fits a phone screen', async ({ page }) => {
  const tour = new PhoneTour(page, 'A visitor');
  const { door } = await spaces(tour);
  await tour.visit('/connexion');
  await tour.visit('/inscription');
  await tour.visit('/evenements/demande');
  await tour.visit('/candidater');
  await tour.visit(door);
  await tour.openMenu();
  tour.check();
});

test('a candidate: every page fits a phone screen', async ({ page }) => {
  await signIn(page, 'candidate2@coopole.example', DEMO_PASSWORD);
  const tour = new PhoneTour(page, 'A candidate (candidate2@)');
  await tour.visit('/candidatures');
  await tour.visit(await tour.link(/^\/candidatures\/\d+$/));
  await tour.visit('/candidater');
  await tour.openMenu();
  tour.check();
});

test('a tenant: every page fits a phone screen', async ({ page }) => {
  test.slow();
  await signIn(page, 'membre@coopole.example', DEMO_PASSWORD);
  const tour = new PhoneTour(page, 'A tenant (membre@)');
  const { newBooking, door } = await spaces(tour);
  await tour.visit('/compte');
  await tour.visit('/reserver');
  await tour.visit(newBooking);
  await tour.visit('/calendrier');
  await tour.visit('/calendrier?vue=semaine');
  await tour.visit('/mes-reservations');
  await tour.visit(await tour.link(BOOKING));
  await tour.visit('/evenements/demande');
  await tour.visit('/evenements');
  // A tenant's list may hold their organisation's events, or none.
  const [event] = await tour.links(EVENT);
  await tour.visit(event);
  await tour.visit('/baux');
  await tour.visit(await tour.link(LEASE));
  await tour.visit(await tour.link(/^\/baux\/\d+\/document$/));
  await tour.visit('/factures');
  await tour.visit(door);
  await tour.openMenu();
  tour.check();
});

test('an organiser: every page fits a phone screen', async ({ page }) => {
  await signIn(page, 'organisateur@coopole.example', DEMO_PASSWORD);
  const tour = new PhoneTour(page, 'An organiser (organisateur@)');
  const { door } = await spaces(tour);
  await tour.visit('/compte');
  await tour.visit('/evenements/demande');
  await tour.visit('/evenements');
  await tour.visit(await tour.link(EVENT));
  await tour.visit(door);
  await tour.openMenu();
  tour.check();
});

test('a manager: every page fits a phone screen', async ({ page }) => {
  test.slow();
  await signIn(page, 'gestion@coopole.example', DEMO_PASSWORD);
  const tour = new PhoneTour(page, 'A manager (gestion@)');
  const { newBooking, door } = await spaces(tour);
  await tour.visit('/compte');
  await tour.visit('/reserver');
  await tour.visit(newBooking);
  // A booking's page, from the first page that links to one: the manager's own bookings may be
  // none, the calendars show everyone's.
  const bookings: string[] = [];
  for (const path of ['/mes-reservations', '/calendrier', '/calendrier?vue=semaine']) {
    await tour.visit(path);
    bookings.push(...(await tour.links(BOOKING)));
  }
  if (bookings.length === 0) tour.note('no link to a booking in the own bookings or the calendars');
  await tour.visit(bookings.at(0));
  await tour.visit('/gestion/evenements');
  await tour.visit(await tour.link(EVENT));
  await tour.visit('/gestion/reservations');
  await tour.visit(await tour.link(/^\/gestion\/espaces\/\d+\/regles$/));
  await tour.visit('/gestion/utilisateurs');
  await tour.visit(await tour.link(/^\/gestion\/utilisateurs\/\d+$/));
  await tour.visit('/gestion/structures');
  await tour.visit('/gestion/baux');
  await tour.visit(await tour.link(LEASE));
  await tour.visit(await tour.link(/^\/gestion\/baux\/\d+\/avenant$/));
  await tour.visit('/gestion/baux/nouveau');
  await tour.visit('/gestion/occupation');
  await tour.visit('/gestion/occupation?sur=36');
  await tour.visit('/gestion/plan?etage=1');
  await tour.visit('/gestion/candidatures');
  await tour.visit(await tour.link(/^\/candidatures\/\d+$/));
  await tour.visit('/gestion/visites');
  await tour.visit('/gestion/comites');
  await tour.visit(await tour.link(/^\/gestion\/comites\/\d+$/));
  await tour.visit('/gestion/facturation');
  await tour.visit('/gestion/facturation/vendeur');
  await tour.visit('/gestion/facturation');
  await tour.visit(await tour.link(/^\/gestion\/facturation\/\d+$/));
  await tour.visit(await tour.link(/^\/factures\/\d+$/));
  await tour.visit('/gestion/structures');
  await tour.visit(await tour.link(/^\/gestion\/structures\/\d+\/facturation$/));
  await tour.visit(door);
  await tour.openMenu();
  tour.check();
});
