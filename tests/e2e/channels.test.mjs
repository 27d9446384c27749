// End-to-end test of connecting channels by hand, as a merchant does on a fresh install: the
// platform sandboxes run standalone (`kanaal sandbox serve`, as a merchant's own test set-up
// would), and the Channels page's connect form is filled in with their addresses and logins.
// How sessions are started and how to run this: see support.mjs.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { UI_TIMEOUT_MS, byTestId, connectChannel, pageHelpers, startSandbox, startSession } from './support.mjs';

/** Every file in the folder (recursively), as bytes; for looking for secrets in it. */
function allBytes(dir) {
  const files = fs.readdirSync(dir, { recursive: true }).map((f) => path.join(dir, f));
  return files.filter((f) => fs.statSync(f).isFile()).map((f) => [f, fs.readFileSync(f)]);
}

describe('connecting channels on a fresh install', () => {
  let browser, stop, dataDir, text, click, count, screenshot, sandbox, platforms;

  before(
    async () => {
      sandbox = startSandbox({ seed: 7 });
      platforms = await sandbox.platforms;
      ({ browser, stop, dataDir } = await startSession());
      ({ text, click, count, screenshot } = pageHelpers(browser));
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

  /** Fills the connect form of `kind` and submits it. */
  async function connect(kind, name, baseUrl, credentials) {
    await connectChannel(browser, click, { kind, name, baseUrl, credentials });
  }

  /** The rows of the configured channels, as their visible text. */
  async function rows() {
    return browser.execute((sel) => [...document.querySelectorAll(sel)].map((r) => r.innerText), byTestId('channel-row'));
  }

  /** Tests the connection of row `i` and returns what the page says about it. */
  async function testRow(i) {
    await (await browser.$$(byTestId('channel-test')))[i].click();
    let result = '';
    await browser.waitUntil(
      async () => {
        // The answer shows in the line under that channel's row.
        result = await browser.execute(
          (rowSel, resultSel, n) =>
            document.querySelectorAll(rowSel)[n]?.nextElementSibling?.querySelector(resultSel)?.innerText ?? '',
          byTestId('channel-row'),
          byTestId('channel-test-result'),
          i,
        );
        return result !== '';
      },
      { timeout: UI_TIMEOUT_MS, interval: 200, timeoutMsg: `Testing the connection of row ${i} gives an answer` },
    );
    return result;
  }

  it('connects bol.com, says in Dutch when the secret is wrong, and forgets it on removal', { timeout: 90_000 }, async () => {
    await click('nav-channels');
    const bol = platforms.bol;
    assert.ok(bol, `the sandbox serves bol.com: ${JSON.stringify(Object.keys(platforms))}`);
    await browser.waitUntil(async () => (await count('channel-kind')) > 0, {
      timeout: UI_TIMEOUT_MS,
      timeoutMsg: 'The Channels page lists the platforms Kanaal supports',
    });
    assert.equal(await count('channel-row'), 0, 'A fresh install has no channels');

    // A mistyped secret is saved (the merchant may be offline), and the test says what is wrong.
    const wrong = `${bol.credentials.client_secret}x`;
    await connect('bol', 'bol.com winkel', bol.base_url, {
      client_id: bol.credentials.client_id,
      client_secret: wrong,
    });
    await browser.waitUntil(async () => (await count('channel-row')) === 1, {
      timeout: UI_TIMEOUT_MS,
      timeoutMsg: `Connect adds the channel (form says: ${await text('channel-form-error')})`,
    });
    const refused = await testRow(0);
    assert.match(refused, /accepteert de inloggegevens niet/, `The wrong secret is explained in Dutch: "${refused}"`);
    assert.match(refused, /bol\.com winkel/, `The explanation names the channel: "${refused}"`);
    await screenshot('channels-wrong-secret');

    // Removing asks first, then the channel is gone.
    await click('channel-remove');
    await browser.acceptAlert();
    await browser.waitUntil(async () => (await count('channel-row')) === 0, {
      timeout: UI_TIMEOUT_MS,
      timeoutMsg: 'Remove takes the channel away',
    });

    // With the right secret the platform answers with the account.
    await connect('bol', 'bol.com winkel', bol.base_url, bol.credentials);
    await browser.waitUntil(async () => (await count('channel-row')) === 1, {
      timeout: UI_TIMEOUT_MS,
      timeoutMsg: 'Connect adds the channel again',
    });
    const ok = await testRow(0);
    assert.match(ok, /^Verbonden als bol\.com-verkoper met API-client \S+\.$/, `The sandbox accepts the right login, and the window says who in Dutch: "${ok}"`);
  });

  it('connects a Shopify webshop and keeps every secret out of the data folder', { timeout: 90_000 }, async () => {
    const shop = platforms.shopify;
    assert.ok(shop, 'the sandbox serves Shopify');
    await connect('shopify', 'Mijn webshop', shop.base_url, shop.credentials);
    await browser.waitUntil(async () => (await count('channel-row')) === 2, {
      timeout: UI_TIMEOUT_MS,
      timeoutMsg: `Connect adds the webshop (form says: ${await text('channel-form-error')})`,
    });
    const names = await rows();
    const i = names.findIndex((r) => r.includes('Mijn webshop'));
    assert.ok(i >= 0, `The webshop is listed: ${JSON.stringify(names)}`);
    const ok = await testRow(i);
    assert.match(ok, /^Verbonden als Shopify-winkel .+ \(\S+\.myshopify\.com\)\.$/, `The webshop accepts its token, and the window says which shop in Dutch: "${ok}"`);
    await screenshot('channels-connected-by-hand');

    // The secrets went to the keyring; the data folder (database, its journal) holds none.
    const secrets = [platforms.bol.credentials.client_secret, shop.credentials.access_token];
    for (const [file, bytes] of allBytes(dataDir)) {
      for (const secret of secrets) {
        assert.ok(!bytes.includes(Buffer.from(secret)), `${file} must not contain a secret`);
      }
    }
  });
});
