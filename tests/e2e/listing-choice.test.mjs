// End-to-end test of putting products on a channel that was connected by hand: the demo shop
// gives a catalog (its own sandbox channels carry it already), a Shopify webshop is connected on
// the Channels page to a standalone sandbox (`kanaal sandbox serve`), and the Publish page then
// says how many active products are not on it yet and puts them on with one button, after
// which the plan shows that many new listings. Nothing is sent in this test.
// How sessions are started and how to run this: see support.mjs.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CATALOG_TIMEOUT_MS, byTestId, connectChannel, pageHelpers, startSandbox, startSession } from './support.mjs';

const SHOP = 'Mijn webshop';
const number = (s) => Number(String(s).replace(/\D/g, ''));

describe('putting products on a channel connected by hand', () => {
  let browser, stop, text, click, count, screenshot, waitFor, sandbox, platforms;

  before(
    async () => {
      sandbox = startSandbox({ seed: 11 });
      platforms = await sandbox.platforms;
      ({ browser, stop } = await startSession({ args: ['--demo'] }));
      ({ text, click, count, screenshot, waitFor } = pageHelpers(browser, { failureShot: 'listing-choice-failure' }));
    },
    { timeout: 120_000 },
  );

  after(
    async () => {
      await stop?.();
      sandbox?.stop();
    },
    { timeout: 60_000 },
  );

  /** The preview section of the channel named `name`, as { text, index }; index -1 if absent. */
  async function planOf(name) {
    return browser.execute(
      (sel, wanted) => {
        const all = [...document.querySelectorAll(sel)];
        const index = all.findIndex((c) => c.querySelector('h3')?.innerText.trim() === wanted);
        return { index, text: index >= 0 ? all[index].innerText : '' };
      },
      byTestId('plan-channel'),
      name,
    );
  }

  /** innerText of the element with test id `id` inside the channel's preview section. */
  async function inPlan(name, id) {
    return browser.execute(
      (sel, wanted, inner) => {
        const c = [...document.querySelectorAll(sel)].find((x) => x.querySelector('h3')?.innerText.trim() === wanted);
        return c?.querySelector(inner)?.innerText.trim() ?? '';
      },
      byTestId('plan-channel'),
      name,
      byTestId(id),
    );
  }

  it('offers to put the active products on the new webshop and plans them as new', { timeout: 180_000 }, async () => {
    // Connect a webshop by hand, next to the demo's own channels.
    await click('nav-channels');
    await waitFor('With --demo the two sandbox channels get connected', async () => (await count('channel-row')) >= 2, CATALOG_TIMEOUT_MS);
    const shop = platforms.shopify;
    assert.ok(shop, 'the sandbox serves Shopify');
    const before = await count('channel-row');
    await connectChannel(browser, click, { kind: 'shopify', name: SHOP, baseUrl: shop.base_url, credentials: shop.credentials });
    await waitFor(
      `Connect adds the webshop (form says: ${await text('channel-form-error')})`,
      async () => (await count('channel-row')) === before + 1,
    );

    // Publish: the new webshop has nothing on it; the page says how many products could go.
    await click('nav-publish');
    await click('publish-prepare');
    await waitFor('Prepare publish shows the webshop', async () => (await planOf(SHOP)).index >= 0, 60_000);
    const offer = await inPlan(SHOP, 'plan-not-listed');
    const active = number(offer.match(/\d[\d.]*/)?.[0] ?? '');
    assert.ok(active > 0, `The webshop says how many active products are not on it yet: "${offer}"`);
    assert.match(offer, /actieve producten staan nog niet op Mijn webshop/, `Said in plain Dutch: "${offer}"`);
    const button = await inPlan(SHOP, 'plan-put-on');
    assert.equal(button, `Zet ze op ${SHOP}`, 'One button puts them on');
    assert.doesNotMatch((await planOf(SHOP)).text, /Er staan nog geen producten op dit kanaal/, 'No dead end');
    assert.equal(number(await inPlan(SHOP, 'plan-count-create')), 0, 'Nothing is new on the webshop yet');
    // The demo's own channels carry the catalog already: no offer there.
    assert.equal(await count('plan-not-listed'), 1, 'Only the webshop has products to put on');

    // The button works from the keyboard: focus it (which shows it) and press Enter.
    const { index } = await planOf(SHOP);
    await browser.execute(
      (sel, i, inner) => {
        const b = document.querySelectorAll(sel)[i].querySelector(inner);
        b.scrollIntoView({ block: 'center' });
        b.focus();
      },
      byTestId('plan-channel'),
      index,
      byTestId('plan-put-on'),
    );
    await screenshot('listing-choice-offer');
    await browser.keys('Enter');
    await waitFor(
      'After putting them on, the plan is made again with the products as new listings',
      async () => number(await inPlan(SHOP, 'plan-count-create')) + number(await inPlan(SHOP, 'plan-count-blocked')) === active,
      60_000,
    );
    const created = number(await inPlan(SHOP, 'plan-count-create'));
    assert.ok(created > 0, 'New listings are planned for the webshop');
    assert.equal(await inPlan(SHOP, 'plan-not-listed'), '', 'Nothing left to put on');
    assert.equal(await count('plan-not-listed'), 0);
    const status = await text('publish-notice');
    assert.match(status, new RegExp(`^${active} producten staan nu op ${SHOP}\\.`), `The page says what happened: "${status}"`);
    assert.equal(await count('result-row'), 0, 'Nothing is sent before Publish is pressed');
    await browser.execute((sel) => document.querySelector(sel)?.scrollIntoView({ block: 'center' }), byTestId('publish-notice'));
    await screenshot('listing-choice-done');
    await browser.execute(
      (sel, i) => document.querySelectorAll(sel)[i].scrollIntoView({ block: 'start' }),
      byTestId('plan-channel'),
      index,
    );
    await screenshot('listing-choice-planned');
  });
});
