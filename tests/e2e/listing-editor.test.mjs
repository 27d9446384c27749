// End-to-end test of a product's own price on one channel: the demo shop (a webshop and a
// bol.com sandbox channel, every active product on both) is opened, a product's editor gets an
// own price on bol.com in its Channels tab (a price of zero is refused first, in Dutch, with what
// was typed kept), the Publish page's plan for bol.com then carries that price, and Ctrl+Z in the
// catalog takes it back. Nothing is sent in this test.
// How sessions are started and how to run this: see support.mjs.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CATALOG_TIMEOUT_MS, MIN_VISIBLE_ROWS, UI_TIMEOUT_MS, byTestId, pageHelpers, startSession } from './support.mjs';

// A price no rule of the demo gives, so finding it in the plan means the override went there.
const OWN_PRICE = '77,77';
const OWN_PRICE_SHOWN = /€\s?77,77/;

describe("a product's own price on bol.com", () => {
  let browser, stop, text, click, count, screenshot, waitFor;

  before(
    async () => {
      ({ browser, stop } = await startSession({ args: ['--demo'] }));
      ({ text, click, count, screenshot, waitFor } = pageHelpers(browser, { failureShot: 'listing-editor-failure' }));
    },
    { timeout: 120_000 },
  );

  after(async () => stop?.(), { timeout: 60_000 });

  /** The value of the first own-price field on the bol.com card ('' when there is none). */
  const bolPrice = () =>
    browser.execute(
      (card, field) => document.querySelector(card)?.querySelector(field)?.value ?? null,
      byTestId('listing-channel-bol'),
      byTestId('listing-price'),
    );

  /** Opens the first product of the catalog in the editor, on its Channels tab. */
  async function openChannelsTab() {
    await (await browser.$$(byTestId('row-open')))[0].click();
    const editor = await browser.$(byTestId('product-editor'));
    await editor.waitForDisplayed({ timeout: UI_TIMEOUT_MS, timeoutMsg: "Clicking a product's name opens the editor" });
    await click('editor-tab-channels');
    await waitFor('The Channels tab shows a bol.com card with an own price per variant', async () => (await bolPrice()) !== null, 30_000);
  }

  it('sets an own price on bol.com, sees it in the plan, and undoes it', { timeout: 240_000 }, async () => {
    await click('nav-channels');
    await waitFor('With --demo the two sandbox channels get connected', async () => (await count('channel-row')) >= 2, CATALOG_TIMEOUT_MS);
    await click('nav-catalog');
    await waitFor('The demo catalog is listed', async () => (await count('catalog-row')) >= MIN_VISIBLE_ROWS, CATALOG_TIMEOUT_MS);

    await openChannelsTab();
    const tablist = await browser.execute(
      (sel) => [...document.querySelectorAll(`${sel} [role="tab"]`)].map((b) => b.innerText.trim()),
      byTestId('product-editor'),
    );
    assert.ok(tablist.some((t) => /^Kanalen/.test(t)), `The Channels tab is in the tab list: ${tablist.join(', ')}`);
    const card = await browser.execute((sel) => document.querySelector(sel)?.innerText ?? '', byTestId('listing-channel-bol'));
    assert.match(card, /Op dit kanaal/, `The bol.com card says whether the product is on it: ${card}`);
    assert.match(card, /Zonder eigen prijs: € \d/, `The card shows the price bol.com gets without an own one: ${card}`);
    assert.equal(await bolPrice(), '', 'No own price yet');
    const hint = await browser.execute((sel) => document.querySelector(sel)?.innerText ?? '', byTestId('listing-overrides'));
    assert.match(hint, /pas naar het kanaal als je publiceert/, 'The tab says nothing is sent until the merchant publishes');

    // A price of zero is refused with a Dutch sentence, and what was typed stays.
    const price = await browser.$(`${byTestId('listing-channel-bol')} ${byTestId('listing-price')}`);
    await price.scrollIntoView({ block: 'center' });
    await screenshot('listing-editor-tab');
    await price.setValue('0');
    await waitFor('Typing an own price marks the editor unsaved', async () => (await count('editor-dirty')) === 1);
    await browser.keys(['Control', 's']);
    await waitFor('A price of zero is refused on the bol.com card', async () => (await count('listing-problem')) === 1);
    assert.match(await text('listing-problem'), /moet meer dan nul zijn/, 'The refusal is worded in Dutch');
    assert.equal(await bolPrice(), '0', 'The refused value is kept as typed');
    await screenshot('listing-editor-refused');

    await price.setValue(OWN_PRICE);
    await browser.keys(['Control', 's']);
    await waitFor('Ctrl+S saves the own price (nothing left unsaved)', async () => (await count('editor-dirty')) === 0);
    await waitFor('The saved own price is read back', async () => (await bolPrice()) === OWN_PRICE);
    assert.equal(await count('listing-problem'), 0, 'No refusal is left once saved');
    await screenshot('listing-editor-saved');
    await click('editor-close');

    // The plan for bol.com carries the own price.
    await click('nav-publish');
    await click('publish-prepare');
    await waitFor('Prepare publish shows a plan per channel', async () => (await count('plan-channel')) >= 2, 60_000);
    const planText = (name) =>
      browser.execute(
        (sel, wanted) =>
          [...document.querySelectorAll(sel)].find((c) => c.querySelector('h3')?.innerText.includes(wanted))?.innerText ?? '',
        byTestId('plan-channel'),
        name,
      );
    assert.match(await planText('bol.com'), OWN_PRICE_SHOWN, 'The bol.com plan sends the own price');
    assert.doesNotMatch(await planText('Webshop'), OWN_PRICE_SHOWN, 'The webshop keeps its own price');
    // Show the bol.com listing with the own price for the screenshot.
    await browser.execute(
      (sel) =>
        [...document.querySelectorAll(sel)].find((r) => /77,77/.test(r.innerText))?.scrollIntoView({ block: 'center' }),
      byTestId('plan-diff'),
    );
    await screenshot('listing-editor-plan');

    // Ctrl+Z in the catalog takes the own price back.
    await click('nav-catalog');
    await waitFor('The catalog is listed again', async () => (await count('catalog-row')) >= MIN_VISIBLE_ROWS, CATALOG_TIMEOUT_MS);
    const undoLabel = await text('undo-button');
    assert.match(undoLabel, /bol\.com/, `The undo button names the own price on bol.com; it says "${undoLabel}"`);
    await browser.keys(['Control', 'z']);
    await waitFor('Ctrl+Z undoes the own price', async () => !/bol\.com/.test(await text('undo-button')));
    await openChannelsTab();
    assert.equal(await bolPrice(), '', 'After undo the product has no own price on bol.com again');

    // The switch takes the product off the webshop (at once, sent with the next publish) and
    // puts it back.
    const webshop = async () =>
      browser.execute(
        (card, on, standing) => {
          const c = document.querySelector(card);
          return { on: c?.querySelector(on)?.checked ?? null, standing: c?.querySelector(standing)?.innerText.trim() ?? '' };
        },
        byTestId('listing-channel-shopify'),
        byTestId('listing-on'),
        byTestId('listing-standing'),
      );
    assert.equal((await webshop()).on, true, 'The product is on the webshop');
    await (await browser.$(`${byTestId('listing-channel-shopify')} ${byTestId('listing-on')}`)).click();
    // (The box itself unticks at the click; the card's words follow once Kanaal has done it.)
    await waitFor(
      'Switching it off takes the product off the webshop, and the card says so',
      async () => /Niet op dit kanaal/.test((await webshop()).standing),
    );
    assert.equal((await webshop()).on, false, 'The switch stays off');
    await screenshot('listing-editor-off');
    await (await browser.$(`${byTestId('listing-channel-shopify')} ${byTestId('listing-on')}`)).click();
    await waitFor('Switching it on puts it back', async () => /Nog niet gepubliceerd/.test((await webshop()).standing));
    assert.equal((await webshop()).on, true, 'The switch stays on');
    await click('editor-close');
  });
});
