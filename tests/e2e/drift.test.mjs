// End-to-end test of "Changed on the channel" and "Roll back this publish" on the Publish page,
// in the real window, on the demo shop with its two sandbox channels (--demo). A price is
// changed on the bol.com sandbox through bol's own retailer API (as a merchant would in the
// seller portal), found by "Check channels now" and adopted; the publish that follows is then
// rolled back from the history with a preview first.
// How the sessions are started and how to run these: see support.mjs.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { CATALOG_TIMEOUT_MS, UI_TIMEOUT_MS, byTestId, startSession, pageHelpers } from './support.mjs';

const PUBLISH_TIMEOUT_MS = 240_000;
const CHECK_TIMEOUT_MS = 90_000;
const JSON_MEDIA = 'application/vnd.retailer.v10+json';
const CSV_MEDIA = 'application/vnd.retailer.v10+csv';

describe('Drift and rollback (demo shop, sandbox channels)', () => {
  let browser, stop, text, texts, click, count, screenshot, waitFor, dataDir;

  before(
    async () => {
      ({ browser, stop, dataDir } = await startSession({ args: ['--demo'] }));
      ({ text, texts, click, count, screenshot, waitFor } = pageHelpers(browser, { failureShot: 'drift-failure' }));
    },
    { timeout: 120_000 },
  );

  after(async () => stop?.(), { timeout: 60_000 });

  /** The bol.com sandbox's retailer API, with a token from its login (demo-sandbox.json). */
  const bolApi = async () => {
    const platforms = JSON.parse(fs.readFileSync(path.join(dataDir, 'demo-sandbox.json'), 'utf8'));
    const bol = platforms.find((p) => p.platform === 'bol');
    assert.ok(bol, `The demo notes where the bol.com sandbox listens: ${platforms.map((p) => p.platform)}`);
    const basic = Buffer.from(`${bol.credentials.client_id}:${bol.credentials.client_secret}`).toString('base64');
    const tokenRes = await fetch(`${bol.urls.login}/token?grant_type=client_credentials`, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, accept: 'application/json' },
    });
    assert.equal(tokenRes.status, 200, 'The bol.com sandbox hands out a token');
    const { access_token: token } = await tokenRes.json();
    const call = (method, route, { body, accept = JSON_MEDIA } = {}) =>
      fetch(`${bol.base_url}${route}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          accept,
          ...(body ? { 'content-type': JSON_MEDIA } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
      });
    return { call };
  };

  /** The bol.com sandbox's fault control route: the next calls to a path fail, or no more. */
  const bolFaults = async (body) => {
    const platforms = JSON.parse(fs.readFileSync(path.join(dataDir, 'demo-sandbox.json'), 'utf8'));
    const bol = platforms.find((p) => p.platform === 'bol');
    const res = await fetch(`${bol.base_url}/_sandbox/faults`, {
      method: body ? 'POST' : 'DELETE',
      headers: { 'content-type': 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
    });
    assert.ok(res.ok, `The sandbox takes the fault settings (${res.status} ${await res.text()})`);
  };

  /** The offers on the bol.com sandbox (its offer export: request, wait for it, read the CSV). */
  const bolOffers = async ({ call }) => {
    const started = await call('POST', '/retailer/offers/export', { body: { format: 'CSV' } });
    assert.equal(started.status, 202, 'bol.com starts an offer export');
    let status = await started.json();
    for (let i = 0; i < 50 && status.status !== 'SUCCESS'; i++) {
      await new Promise((r) => setTimeout(r, 200));
      status = await (await call('GET', `/shared/process-status/${status.processStatusId}`)).json();
    }
    assert.equal(status.status, 'SUCCESS', `The offer export is made: ${JSON.stringify(status)}`);
    const csv = await (await call('GET', `/retailer/offers/export/${status.entityId}`, { accept: CSV_MEDIA })).text();
    const [head, ...lines] = csv.trim().split('\n');
    const cols = head.split(',');
    return lines.map((l) => {
      const cells = l.split(',');
      return { offerId: cells[cols.indexOf('offerId')], price: cells[cols.indexOf('bundlePricesPrice')] };
    });
  };

  it('publishes the demo catalog', { timeout: PUBLISH_TIMEOUT_MS + 90_000 }, async () => {
    await click('nav-channels');
    await waitFor('With --demo the two sandbox channels get connected', async () => (await count('channel-row')) >= 2, CATALOG_TIMEOUT_MS);
    await click('nav-publish');
    await click('publish-prepare');
    await waitFor('Prepare publish shows a plan per channel', async () => (await count('plan-channel')) >= 2, 60_000);
    await click('publish-confirm');
    await waitFor('The publish finishes', async () => (await count('progress-finished')) > 0, PUBLISH_TIMEOUT_MS);
    const done = (await texts('result-row')).filter((r) => /\bDone\b|Gelukt/.test(r)).length;
    assert.ok(done > 0, 'Listings reached the sandboxes');
  });

  let changedTo;

  it('finds a price changed on bol.com and adopts it', { timeout: CHECK_TIMEOUT_MS * 2 + 30_000 }, async () => {
    const api = await bolApi();
    const offers = (await bolOffers(api)).filter((o) => o.price);
    assert.ok(offers.length > 0, 'The publish put offers on bol.com');
    const offer = offers[0];
    // A price the rules would never make (Kanaal's end on .95/.99 or the catalog's own).
    changedTo = (Math.floor(Number(offer.price)) + 3) + '.37';
    const put = await api.call('PUT', `/retailer/offers/${offer.offerId}/price`, {
      body: { pricing: { bundlePrices: [{ quantity: 1, unitPrice: Number(changedTo) }] } },
    });
    assert.equal(put.status, 202, `bol.com takes the new price (${put.status})`);

    await click('nav-publish');
    await click('drift-check');
    await waitFor(
      'Check channels now finds the price changed on bol.com',
      async () => (await texts('drift-finding')).some((f) => f.includes(changedTo.replace('.', ',')) || f.includes(changedTo)),
      CHECK_TIMEOUT_MS,
    );
    const row = await browser.$(`${byTestId('drift-finding')}[data-field^="variants["][data-field$="].price"]`);
    await row.scrollIntoView({ block: 'center' });
    const channels = await texts('drift-channel');
    assert.ok(channels.some((c) => /bol\.com/.test(c) && /\b1\b/.test(c)), `The bol.com line counts the change: ${channels.join(' | ')}`);
    const adopt = await row.$(byTestId('drift-adopt'));
    const label = await adopt.getAttribute('aria-label');
    assert.match(label, /bol\.com/, `The Adopt button names the channel for a screen reader: ${label}`);
    await screenshot('drift-finding');
    await adopt.click();
    await waitFor('Adopting says where the value went', async () => (await text('drift-notice')).length > 0);
    const notice = await text('drift-notice');
    assert.match(notice, /price|prijs/i, `The notice says what happened: ${notice}`);
    await waitFor(
      'The finding is gone after adopting',
      async () => !(await texts('drift-finding')).some((f) => f.includes(changedTo.replace('.', ',')) || f.includes(changedTo)),
    );
    await screenshot('drift-adopted');
  });

  it('publishes the adopted price, then rolls that publish back with a preview', { timeout: PUBLISH_TIMEOUT_MS + 60_000 }, async () => {
    await click('publish-prepare');
    await waitFor('A new plan is made', async () => (await count('plan-channel')) >= 1, 60_000);
    const label = await text('publish-confirm');
    assert.match(label, /\d/, `The adopted price is to be published: "${label}"`);
    await click('publish-confirm');
    await waitFor('The publish finishes', async () => (await count('progress-finished')) > 0, PUBLISH_TIMEOUT_MS);

    const history = await browser.$(byTestId('publish-history'));
    await history.scrollIntoView({ block: 'start' });
    await waitFor('The history lists both publishes', async () => (await count('history-batch')) >= 2, 30_000);
    const newest = (await browser.$$(byTestId('history-batch')))[0];
    const button = await newest.$(byTestId('rollback-button'));
    await browser.waitUntil(async () => button.isEnabled(), {
      timeout: 30_000,
      timeoutMsg: 'Roll back this publish can be pressed once the publish is done',
    });
    await button.click();
    await waitFor('The rollback shows a preview per channel first', async () => (await count('rollback-preview')) > 0, 60_000);
    const preview = await browser.$(byTestId('rollback-preview'));
    await preview.scrollIntoView({ block: 'start' });
    assert.ok(
      (await preview.$$(byTestId('plan-channel'))).length > 0,
      'The preview has the same per-channel plan as a publish',
    );
    await screenshot('rollback-preview');
    await click('rollback-confirm');
    await waitFor('The rollback is queued', async () => (await count('rollback-started')) > 0, 30_000);
    await waitFor(
      'The rollback is sent and followed to the end, like a publish',
      async () => (await history.$$(byTestId('progress-finished'))).length > 0,
      PUBLISH_TIMEOUT_MS,
    );
    const results = await browser.execute(
      (sel) => [...document.querySelectorAll(sel)].map((e) => e.innerText.trim()),
      `${byTestId('publish-history')} ${byTestId('result-row')}`,
    );
    assert.ok(results.length > 0, 'The rollback shows a result per listing');
    assert.ok(results.some((r) => /\bDone\b|Gelukt/.test(r)), `The previous price went back: ${results.join(' | ')}`);
    await (await browser.$(byTestId('rollback-started'))).scrollIntoView({ block: 'start' });
    await screenshot('rollback-done');

    // The channel shows the price from before the publish again: Kanaal's, not the adopted one.
    const offers = await bolOffers(await bolApi());
    assert.ok(!offers.some((o) => o.price === changedTo), `bol.com no longer shows ${changedTo} after the rollback`);
  });

  it('a listing removed on bol.com says so and can be put back or taken off in Kanaal too', { timeout: CHECK_TIMEOUT_MS * 3 + 30_000 }, async () => {
    const api = await bolApi();
    const offers = await bolOffers(api);
    assert.ok(offers.length >= 2, 'bol.com has offers to remove');
    // The merchant deletes two offers in the seller portal.
    for (const o of offers.slice(-2)) {
      const del = await api.call('DELETE', `/retailer/offers/${o.offerId}`);
      assert.equal(del.status, 202, `bol.com deletes the offer (${del.status})`);
    }
    const removed = () => browser.$$(`${byTestId('drift-finding')}[data-field="listed"][data-theirs="removed"]`);
    await click('drift-check');
    await waitFor('Check channels now shows both removed listings', async () => (await removed()).length === 2, CHECK_TIMEOUT_MS);
    const first = (await removed())[0];
    await first.scrollIntoView({ block: 'center' });
    const said = await first.getText();
    assert.match(said, /(Removed from|Verwijderd van) bol\.com/, `It says in plain words what happened: ${said}`);
    assert.ok((await first.$(byTestId('drift-put-back'))) && (await first.$(byTestId('drift-take-off'))), 'Both choices are offered');
    await screenshot('drift-removed');

    await (await first.$(byTestId('drift-put-back'))).click();
    await waitFor('Put it back says in Dutch what happens next', async () =>
      /De volgende publicatie zet het als nieuw aanbod terug op bol\.com \(sandbox\)\./.test(await text('drift-notice')),
    );
    await waitFor('One removed listing is left', async () => (await removed()).length === 1);
    await (await (await removed())[0].$(byTestId('drift-take-off'))).click();
    await waitFor('Taking it off in Kanaal says so in Dutch', async () => /Ook in Kanaal van bol\.com \(sandbox\) gehaald;/.test(await text('drift-notice')));
    await waitFor('No removed listing is left', async () => (await removed()).length === 0);
    await screenshot('drift-removed-resolved');

    // The next publish creates the one put back, and nothing for the one taken off.
    await click('publish-prepare');
    await waitFor('A new plan is made', async () => (await count('plan-channel')) >= 1, 60_000);
    const creates = await texts('plan-count-create');
    assert.ok(
      creates.some((c) => Number(c.replace(/\D/g, '')) >= 1),
      `The listing put back is created again: ${creates.join(', ')}`,
    );
  });

  it('while bol.com cannot be checked its updates wait and the window says so in Dutch; they go once a check succeeds', { timeout: CHECK_TIMEOUT_MS * 4 + PUBLISH_TIMEOUT_MS + 60_000 }, async () => {
    // A price changed on bol.com, and the merchant keeps Kanaal's: an update for bol.com to send.
    const api = await bolApi();
    const offer = (await bolOffers(api)).filter((o) => o.price)[1];
    assert.ok(offer, 'bol.com has an offer with a price');
    const theirs = (Math.floor(Number(offer.price)) + 5) + '.41';
    const put = await api.call('PUT', `/retailer/offers/${offer.offerId}/price`, {
      body: { pricing: { bundlePrices: [{ quantity: 1, unitPrice: Number(theirs) }] } },
    });
    assert.equal(put.status, 202, `bol.com takes the new price (${put.status})`);
    await click('nav-publish');
    await click('drift-check');
    const shown = (f) => f.includes(theirs.replace('.', ',')) || f.includes(theirs);
    await waitFor('Check channels now finds the price changed on bol.com', async () => (await texts('drift-finding')).some(shown), CHECK_TIMEOUT_MS);
    let row = null;
    for (const f of await browser.$$(byTestId('drift-finding'))) if (shown(await f.getText())) row = f;
    await row.scrollIntoView({ block: 'center' });
    await (await row.$(byTestId('drift-keep'))).click();
    await waitFor(
      'Keep mine says in Dutch that the next publish sends Kanaal’s value',
      async () => /Je eigen waarde blijft; de volgende publicatie stuurt die naar bol\.com \(sandbox\)\./.test(await text('drift-notice')),
    );

    // bol.com's offer export fails (503, as bol answers when it is down): the check cannot read
    // bol.com back, and the panel says what that means, in Dutch.
    await bolFaults({ method: 'POST', path: '/retailer/offers/export', status: 503, times: 1000 });
    await click('drift-check');
    await waitFor(
      'The panel says bol.com could not be checked and its updates wait',
      async () => /bol\.com \(sandbox\) kon niet worden gecontroleerd op wijzigingen; updates wachten tot dat weer kan\./.test(await text('drift-unchecked')),
      CHECK_TIMEOUT_MS,
    );
    const unchecked = await text('drift-unchecked');
    assert.match(
      unchecked,
      /Oorzaak: bol\.com werkt nu niet goed \(het antwoord was foutcode 503\)\. Kanaal bewaart je wijzigingen en probeert het later opnieuw\./,
      `It gives the reason in Dutch too: ${unchecked}`,
    );
    assert.doesNotMatch(unchecked, /not working|answered with error|tries again/, `No English cause in the Dutch window: ${unchecked}`);
    assert.equal((await texts('drift-channel')).filter((c) => /kon niet worden gecontroleerd/.test(c)).length, 1, 'Only bol.com is unchecked');
    await (await browser.$(byTestId('drift-unchecked'))).scrollIntoView({ block: 'center' });
    await screenshot('drift-unchecked');

    // Publishing now sends nothing over bol.com's copy: the update waits, and the page says so.
    await click('publish-prepare');
    await waitFor('A new plan is made', async () => (await count('plan-channel')) >= 1, 60_000);
    await click('publish-confirm');
    await waitFor(
      'The publish says bol.com’s updates wait',
      async () => /bol\.com \(sandbox\) kon niet worden gecontroleerd op wijzigingen; updates wachten tot dat weer kan\./.test(await text('publish-held')),
      PUBLISH_TIMEOUT_MS,
    );
    await (await browser.$(byTestId('publish-held'))).scrollIntoView({ block: 'center' });
    await screenshot('publish-held');

    // bol.com answers again: the next check succeeds and the message is gone.
    await bolFaults(null);
    await click('drift-check');
    await waitFor('After a check that succeeds, no channel is unchecked', async () => (await count('drift-unchecked')) === 0, CHECK_TIMEOUT_MS);
    await screenshot('drift-checked-again');
    assert.ok(
      (await bolOffers(api)).some((o) => o.offerId === offer.offerId && o.price === theirs),
      'The update waited: bol.com still shows its own price',
    );

    // Sync now sends the update that waited: bol.com shows Kanaal's price again.
    await click('nav-orders');
    await click('orders-sync');
    await waitFor(
      'Sync now finishes',
      async () => (await (await browser.$(byTestId('orders-sync'))).isEnabled()) && (await count('orders-sync-result')) > 0,
      PUBLISH_TIMEOUT_MS,
    );
    assert.equal(await count('orders-sync-held'), 0, 'Sync now no longer says updates wait');
    await waitFor(
      'bol.com gets Kanaal’s price again',
      async () => {
        const now = (await bolOffers(api)).find((o) => o.offerId === offer.offerId);
        return now !== undefined && now.price !== theirs;
      },
      CHECK_TIMEOUT_MS,
    );
  });
});
