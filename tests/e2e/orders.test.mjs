// End-to-end test of what bol.com changes on an order by itself, in the real window on the demo
// shop: the customer cancels one unit of a line through bol and asks to cancel another line
// (the bol.com sandbox's control routes, see kanaal-sandbox's bol module). After Sync now the
// inbox shows the request, the detail shows the unit cancelled and each line's ship-by deadline
// as the end of a Dutch day, and one click cancels the requested line with the reason
// "requested by customer", which reaches the bol.com sandbox.
// How the sessions are started and how to run these: see support.mjs.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { UI_TIMEOUT_MS, byTestId, startSession, pageHelpers } from './support.mjs';

const SYNC_TIMEOUT_MS = 90_000;
const BOL_JSON = 'application/vnd.retailer.v10+json';

describe('Orders: changes made on bol.com (demo shop, sandbox channels)', () => {
  let browser, stop, text, texts, click, count, screenshot, waitFor, dataDir;

  before(
    async () => {
      ({ browser, stop, dataDir } = await startSession({ args: ['--demo'] }));
      ({ text, texts, click, count, screenshot, waitFor } = pageHelpers(browser, { failureShot: 'orders-failure' }));
    },
    { timeout: 120_000 },
  );

  after(async () => stop?.(), { timeout: 60_000 });

  const syncOnce = async () => {
    const button = await browser.$(byTestId('orders-sync'));
    await click('orders-sync');
    // The previous round's result stays on the page: first see this round start (it may also
    // finish before the first look), then wait for it to end.
    await browser.waitUntil(async () => !(await button.isEnabled()), { timeout: 2_000, interval: 50 }).catch(() => {});
    await waitFor(
      'Sync now finishes',
      async () => (await (await browser.$(byTestId('orders-sync'))).isEnabled()) && (await count('orders-sync-result')) > 0,
      SYNC_TIMEOUT_MS,
    );
  };

  it('a unit bol cancelled and a customer asking to cancel show up, and one click answers the request', { timeout: SYNC_TIMEOUT_MS * 4 + 60_000 }, async () => {
    const platforms = JSON.parse(fs.readFileSync(path.join(dataDir, 'demo-sandbox.json'), 'utf8'));
    const bol = platforms.find((p) => p.platform === 'bol');
    assert.ok(bol, `The demo notes where the bol.com sandbox listens: ${platforms.map((p) => p.platform)}`);

    // bol's own API, as the sandbox serves it: a token, then the orders.
    const login = await fetch(`${bol.urls.login}/token?grant_type=client_credentials`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${bol.credentials.client_id}:${bol.credentials.client_secret}`).toString('base64')}`,
        accept: 'application/json',
      },
    });
    assert.equal(login.status, 200, 'The bol.com sandbox hands out a token');
    const { access_token: token } = await login.json();
    const api = async (route) => {
      const res = await fetch(`${bol.base_url}${route}`, { headers: { authorization: `Bearer ${token}`, accept: BOL_JSON } });
      assert.equal(res.status, 200, `GET ${route}`);
      return res.json();
    };

    // Two products the bol.com sandbox sells (by EAN, from its order list), in one new order.
    const listed = await api('/retailer/orders?status=ALL&fulfilment-method=ALL');
    const eans = [...new Set((listed.orders ?? []).flatMap((o) => o.orderItems.map((i) => i.ean)))];
    assert.ok(eans.length >= 2, `The bol.com sandbox has orders with at least two products: ${eans}`);
    const placed = await fetch(`${bol.base_url}/_sandbox/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ lines: [{ ean: eans[0], quantity: 3 }, { ean: eans[1], quantity: 1 }] }),
    });
    assert.equal(placed.status, 201, 'The bol.com sandbox takes the order');
    const { orderId } = await placed.json();

    await click('nav-orders');
    await syncOnce();
    const search = await browser.$(byTestId('orders-search'));
    await search.setValue(orderId);
    await waitFor(`Order ${orderId} is in the inbox`, async () => (await texts('order-row')).some((r) => r.includes(orderId)));
    const shipBy = await text('order-ship-by');
    assert.match(shipBy, /^(end of|eind) \S+ \d{1,2} \S+/, `The ship-by deadline is the end of a Dutch day: "${shipBy}"`);

    // On bol.com: one of the three units is cancelled, and the customer asks to cancel line 2.
    const order = await api(`/retailer/orders/${orderId}`);
    const [first, second] = order.orderItems.map((i) => i.orderItemId);
    const control = (route, body) =>
      fetch(`${bol.base_url}/_sandbox/order-items/${route}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body ?? {}),
      });
    assert.equal((await control(`${first}/cancel`, { quantity: 1 })).status, 200, 'bol cancels one unit');
    assert.equal((await control(`${second}/cancellation-request`)).status, 200, 'the customer asks to cancel');

    await syncOnce();
    await waitFor('The inbox row says the customer asks to cancel', async () => (await count('order-cancel-request')) > 0);
    await screenshot('orders-cancel-request-inbox');
    const overflow = await browser.execute(() => {
      const table = document.querySelector('[data-testid="order-row"]')?.closest('table');
      return table ? Math.round(table.getBoundingClientRect().right - window.innerWidth) : null;
    });
    assert.ok(overflow !== null && overflow <= 0, `The inbox with its badges and deadlines fits the window (${overflow} px past the edge)`);

    await click('order-open');
    const dialog = await browser.$(byTestId('order-detail'));
    await dialog.waitForDisplayed({ timeout: UI_TIMEOUT_MS, timeoutMsg: 'Clicking the order opens its detail' });
    await waitFor('The detail lists the lines', async () => (await count('order-line')) === 2);
    const cancelled = await texts('order-line-cancelled');
    assert.ok(cancelled.some((c) => /1 (of|van) 3/.test(c)), `The first line shows one of three units cancelled: ${cancelled}`);
    assert.equal(await count('order-line-request'), 1, 'One line is marked: the customer asks to cancel it');
    assert.match(await text('order-detail-cancel-request'), /\S/, 'The detail says what the customer asks, above the lines');
    const lineDeadlines = await texts('order-line-ship-by');
    assert.ok(
      lineDeadlines.length === 2 && lineDeadlines.every((d) => /^(end of|eind) /.test(d)),
      `Each line shows its own deadline in Dutch time: ${lineDeadlines}`,
    );
    // The order's fees: what bol.com's fee schedule expects for it, and the way to the comparison.
    await waitFor('The detail shows the fee the schedule expects for this order', async () => (await count('order-fee-modelled')) === 1);
    assert.match(await text('order-fee-modelled'), /€\s?\d+[,.]\d{2}/, 'The expected fee is an amount in euros');
    assert.equal(await count('order-fee-link'), 1, 'The fee check links to the channel comparison');
    await screenshot('order-cancel-request-detail');

    await click('cancel-request-accept');
    await waitFor('The cancellation is queued', async () => (await count('cancel-queued')) > 0);
    await screenshot('order-cancel-request-answered');
    await browser.keys('Escape');
    await waitFor('Escape closes the order detail', async () => !(await dialog.isDisplayed()));

    // Sync now sends it: bol.com has line 2 cancelled for the customer's request.
    await syncOnce();
    let after = await api(`/retailer/orders/${orderId}`);
    for (let i = 0; i < 3 && after.orderItems[1].quantityCancelled !== 1; i++) {
      await syncOnce();
      after = await api(`/retailer/orders/${orderId}`);
    }
    assert.equal(after.orderItems[1].quantityCancelled, 1, 'bol.com has the requested line cancelled');
    assert.equal(after.orderItems[0].quantityCancelled, 1, 'the first line keeps its two open units');
    // The inbox reads the order again after a Sync now.
    for (let i = 0; i < 3 && (await count('order-cancel-request')) > 0; i++) await syncOnce();
    await waitFor('The inbox no longer shows the request', async () => (await count('order-cancel-request')) === 0);
    await screenshot('orders-cancel-request-done');
    await search.clearValue();
  });
});
