// End-to-end tests of the Publish and Orders pages in the real window, on the demo shop with
// its two sandbox channels (the platform emulators run in-process with --demo).
// How the sessions are started and how to run these: see support.mjs.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { CATALOG_TIMEOUT_MS, UI_TIMEOUT_MS, byTestId, startSession, pageHelpers } from './support.mjs';

// Sending the demo catalog to both sandboxes goes through their rate limits.
const PUBLISH_TIMEOUT_MS = 240_000;
const SYNC_TIMEOUT_MS = 90_000;

describe('Publish and Orders (demo shop, sandbox channels)', () => {
  let browser, stop, text, texts, click, count, screenshot, waitFor, dataDir;

  before(
    async () => {
      ({ browser, stop, dataDir } = await startSession({ args: ['--demo'] }));
      ({ text, texts, click, count, screenshot, waitFor } = pageHelpers(browser, { failureShot: 'publish-orders-failure' }));
    },
    { timeout: 120_000 },
  );

  after(async () => stop?.(), { timeout: 60_000 });

  it('previews the plan for both sandbox channels before anything is sent', { timeout: 120_000 }, async () => {
    await click('nav-channels');
    await waitFor(
      'With --demo the two sandbox channels get connected',
      async () => (await count('channel-row')) >= 2,
      CATALOG_TIMEOUT_MS,
    );
    await click('nav-publish');
    await click('publish-prepare');
    await waitFor('Prepare publish shows a plan per channel', async () => (await count('plan-channel')) >= 2, 60_000);

    const channels = await texts('plan-channel');
    assert.ok(channels.some((c) => /bol\.com \(sandbox\)/.test(c)), `The plan has the bol.com sandbox: ${channels.map((c) => c.slice(0, 40))}`);
    assert.ok(channels.some((c) => /Webshop \(sandbox\)/.test(c)), `The plan has the webshop sandbox: ${channels.map((c) => c.slice(0, 40))}`);
    const creates = await texts('plan-count-create');
    for (const [i, c] of creates.entries()) {
      assert.ok(Number(c.replace(/\D/g, '')) > 0, `Channel ${i} creates listings on its first publish (counts: "${c}")`);
    }
    assert.ok((await count('plan-diff')) > 0, 'Each new listing shows its fields, old -> new');
    const diffs = await texts('plan-diff');
    assert.ok(
      diffs.some((d) => /€/.test(d)),
      `Prices in the diff are formatted as money: ${diffs.slice(0, 5).join(' | ')}`,
    );
    assert.equal(await count('result-row'), 0, 'Nothing is sent before Publish is pressed');
    await screenshot('publish-plan');
  });

  it('publishes with one button and shows progress and a result per listing', { timeout: PUBLISH_TIMEOUT_MS + 30_000 }, async () => {
    const label = await text('publish-confirm');
    assert.match(label, /\d/, `The Publish button says how many listings go out: "${label}"`);
    await click('publish-confirm');
    await waitFor('Progress appears per channel', async () => (await count('progress-channel')) >= 2, 30_000);
    await screenshot('publish-progress');
    await waitFor(
      'Every listing gets an outcome (done, or refused with the platform reason)',
      async () => (await count('progress-finished')) > 0,
      PUBLISH_TIMEOUT_MS,
    );
    const results = await texts('result-row');
    assert.ok(results.length > 0, 'Each sent listing has a result row');
    const done = results.filter((r) => /\bDone\b|Gelukt/.test(r)).length;
    assert.ok(done > 0, `Listings reached the sandboxes: ${results.slice(0, 5).join(' | ')}`);
    await screenshot('publish-results');

    // A second preview right after finds the channels up to date.
    await click('publish-prepare');
    await waitFor('A second preview is made', async () => (await count('plan-channel')) >= 2, 60_000);
    const again = await texts('plan-count-create');
    const sent = done;
    assert.ok(
      again.reduce((n, c) => n + Number(c.replace(/\D/g, '')), 0) < sent,
      `After publishing, fewer listings are new (${again.join(', ')} vs ${sent} sent)`,
    );
  });

  it('pulls orders into one inbox with a detail and mark shipped', { timeout: SYNC_TIMEOUT_MS + 60_000 }, async () => {
    await click('nav-orders');
    await click('orders-sync');
    await waitFor('Sync now reports per channel', async () => (await count('orders-sync-result')) > 0, SYNC_TIMEOUT_MS);
    const report = await text('orders-sync-result');
    await waitFor(`Orders appear in the inbox after the sync (sync said: ${report})`, async () => (await count('order-row')) > 0);
    const channels = new Set((await texts('order-row')).map((r) => (/bol\.com/.test(r) ? 'bol' : /Webshop/.test(r) ? 'web' : r)));
    assert.ok(channels.size >= 1, `The inbox lists orders: ${[...channels]}`);
    await screenshot('orders-inbox');

    // Only orders still to ship, then the first one's detail.
    await click('orders-needs-shipping');
    await browser.pause(500);
    if ((await count('order-row')) === 0) {
      await click('orders-needs-shipping');
      await browser.pause(500);
    }
    await click('order-open');
    const dialog = await browser.$(byTestId('order-detail'));
    await dialog.waitForDisplayed({ timeout: UI_TIMEOUT_MS, timeoutMsg: 'Clicking an order number opens its detail' });
    await waitFor('The detail lists the order lines', async () => (await count('order-line')) > 0);
    assert.ok((await text('order-customer')).length > 0, 'The detail shows the customer as the channel shows them');
    await screenshot('order-detail');

    if ((await count('ship-form')) > 0) {
      const tracking = await browser.$(byTestId('ship-tracking'));
      await tracking.setValue('12');
      await browser.keys('Enter');
      await waitFor(
        'A tracking code that is too short is refused in plain words, next to the field',
        async () => /6 to 40|6 tot 40/.test(await text('ship-error')),
      );
      await screenshot('order-ship-invalid');
      await tracking.setValue('3SKAAN1234567');
      await browser.keys('Enter');
      await waitFor('A valid shipment is queued for the channel', async () => (await count('ship-queued')) > 0);
      await screenshot('order-shipped');
    }

    await browser.keys('Escape');
    await waitFor('Escape closes the order detail', async () => !(await dialog.isDisplayed()));
  });

  // An order placed on the bol.com sandbox (its control route, see kanaal-sandbox's bol module)
  // arrives in the inbox after Sync now, and the webshop sandbox shows that product's stock
  // lower, read back from the webshop's own API.
  it('an order placed on bol.com arrives after Sync now and the stock drops on the webshop', { timeout: SYNC_TIMEOUT_MS * 4 + 60_000 }, async () => {
    const platforms = JSON.parse(fs.readFileSync(path.join(dataDir, 'demo-sandbox.json'), 'utf8'));
    const bol = platforms.find((p) => p.platform === 'bol');
    const shop = platforms.find((p) => p.platform === 'shopify');
    assert.ok(bol && shop, `The demo notes where both sandboxes listen: ${platforms.map((p) => p.platform)}`);

    /** Stock per SKU as the webshop sandbox shows it (its Admin GraphQL API). */
    const webshopStock = async () => {
      const out = {};
      let after = null;
      let retries = 0;
      for (let page = 0; page < 200; page++) {
        const res = await fetch(shop.urls.graphql, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-shopify-access-token': shop.credentials.access_token },
          body: JSON.stringify({
            query:
              'query($after: String) { products(first: 10, after: $after) { pageInfo { hasNextPage endCursor } nodes { variants(first: 20) { nodes { sku inventoryQuantity } } } } }',
            variables: { after },
          }),
        });
        const body = await res.json();
        if (!body.data) {
          // The cost bucket refills; wait and ask again (a few times).
          if (++retries > 20) throw new Error(`The webshop sandbox answered: ${JSON.stringify(body).slice(0, 300)}`);
          await browser.pause(1000);
          page--;
          continue;
        }
        for (const p of body.data.products.nodes) for (const v of p.variants.nodes) if (v.sku) out[v.sku] = v.inventoryQuantity;
        if (!body.data.products.pageInfo.hasNextPage) break;
        after = body.data.products.pageInfo.endCursor;
      }
      return out;
    };
    const syncOnce = async () => {
      await click('orders-sync');
      await waitFor(
        'Sync now finishes',
        async () => (await (await browser.$(byTestId('orders-sync'))).isEnabled()) && (await count('orders-sync-result')) > 0,
        SYNC_TIMEOUT_MS,
      );
    };

    await click('nav-orders');
    await syncOnce(); // whatever was waiting goes out first, so the figures below are settled
    const before = await webshopStock();
    const sku = Object.keys(before).find((s) => before[s] >= 3);
    assert.ok(sku, `The webshop has a product in stock: ${JSON.stringify(before).slice(0, 200)}`);

    const placed = await fetch(`${bol.base_url}/_sandbox/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sku, quantity: 2 }),
    });
    assert.equal(placed.status, 201, 'The bol.com sandbox takes the order');
    const { orderId } = await placed.json();

    await syncOnce();
    const search = await browser.$(byTestId('orders-search'));
    await search.setValue(orderId);
    await waitFor(
      `Order ${orderId} from bol.com is in the inbox after Sync now`,
      async () => (await texts('order-row')).some((r) => r.includes(orderId)),
    );
    await screenshot('orders-placed-on-bol');

    // The import queues the lower stock for the webshop; the same or the next Sync now sends it.
    let after = await webshopStock();
    for (let i = 0; i < 3 && after[sku] !== before[sku] - 2; i++) {
      await syncOnce();
      after = await webshopStock();
    }
    assert.equal(after[sku], before[sku] - 2, `The webshop shows ${sku} two lower (was ${before[sku]})`);
    await search.clearValue();
  });
});
