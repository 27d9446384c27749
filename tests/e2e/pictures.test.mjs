// End-to-end: pictures a product CSV names by web address, in the real window. A small web
// server on a loopback socket (started here) serves real PNG files; the app downloads them after
// the import, shows "Afbeeldingen: x van y gedownload", lists the one that failed by row, and the
// product editor shows the pictures. A second session starts the app on a data folder whose
// pictures were queued by `kanaal catalog import --no-pictures` and sees them download on their
// own after the window opened, with the progress in the status bar; an address without a server
// is said to wait for a connection.
//
// Run: npm --prefix ui run build && cargo build -p kanaal-app -p kanaal-cli &&
//      xvfb-run -a -s '-screen 0 1280x800x24' scripts/with-keyring.sh node --test tests/e2e/pictures.test.mjs

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  CATALOG_TIMEOUT_MS, REPO, UI_TIMEOUT_MS, byTestId, dropCsv, openImportOnEmptyCatalog, pageHelpers, startPictureServer, startSession,
} from './support.mjs';

const CLI = process.env.KANAAL_E2E_CLI || path.join(REPO, 'target', 'debug', 'kanaal');
// Each picture takes this long to send, like a real server over the internet.
const PICTURE_DELAY_MS = 300;

/** Real PNG files (the app's icons, 512 and 256 pixels square). */
const FILES = {
  'mok-voor.png': fs.readFileSync(path.join(REPO, 'icons', 'icon.png')),
  'mok-zij.png': fs.readFileSync(path.join(REPO, 'icons', '128x128@2x.png')),
  'kan.png': fs.readFileSync(path.join(REPO, 'icons', 'icon.png')),
};

/** An address where nothing listens: as if the picture's server cannot be reached. */
function closedAddress() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(`http://127.0.0.1:${port}`));
    });
  });
}

/** Waits until `check` returns true; on time-out takes a screenshot and says what was seen. */
function waiter(browser, screenshot) {
  return async (what, check, timeout = UI_TIMEOUT_MS) => {
    let last;
    await browser
      .waitUntil(async () => (last = await check()) === true, { timeout, interval: 150 })
      .catch(async () => {
        await screenshot('pictures-failure').catch(() => {});
        assert.fail(`${what} (last seen: ${JSON.stringify(last)}); see target/e2e/pictures-failure.png`);
      });
  };
}

/** Notes every text the element with this test id shows, however briefly. */
async function watchTexts(browser, id, key) {
  await browser.execute(
    (sel, k) => {
      const seen = new Set();
      const note = () => {
        for (const el of document.querySelectorAll(sel)) seen.add(el.innerText.trim());
      };
      new MutationObserver(note).observe(document.body, { subtree: true, childList: true, characterData: true });
      note();
      window[k] = seen;
    },
    byTestId(id),
    key,
  );
  return () => browser.execute((k) => [...(window[k] ?? [])], key);
}

/** The pictures of the open product editor: how many, and whether each one loaded. */
function editorPictures(browser) {
  return browser.execute((sel) =>
    [...document.querySelectorAll(sel)].map((li) => {
      const img = li.querySelector('img');
      return { loaded: !!img && img.complete && img.naturalWidth > 0, alt: li.querySelector('input')?.value ?? '' };
    }),
  byTestId('editor-picture'));
}

describe('pictures named by web address in an imported CSV', () => {
  let browser, stop, server, text, click, count, screenshot, waitFor;

  before(
    async () => {
      server = await startPictureServer({ files: FILES, held: 'mok-zij.png', delayMs: PICTURE_DELAY_MS });
      ({ browser, stop } = await startSession({ args: [] }));
      ({ text, click, count, screenshot } = pageHelpers(browser));
      waitFor = waiter(browser, screenshot);
    },
    { timeout: 120_000 },
  );

  after(async () => {
    await stop?.();
    await server?.close();
  }, { timeout: 60_000 });

  it('downloads them after the import, shows the progress and the one that failed', { timeout: 120_000 }, async () => {
    await openImportOnEmptyCatalog(browser, click);

    const base = server.base;
    const csv = [
      'Handle,Title,Variant SKU,Variant Price,Image Src,Image Position,Image Alt Text',
      `e2e-mok,E2E Mok,E2E-MOK,12.50,${base}/mok-zij.png,2,Mok van opzij`,
      `e2e-mok,,,,${base}/mok-voor.png,1,Mok van voren`,
      `e2e-schaal,E2E Schaal,E2E-SCHAAL,18.00,${base}/schaal.png,1,Schaal`,
      '',
    ].join('\n');
    await dropCsv(browser, csv);
    await waitFor('The check of the dropped file offers Import', async () => (await count('import-confirm')) === 1);
    const report = await text('import-report');
    assert.match(report, /3 afbeeldingen om te downloaden/, `The check counts the picture addresses; it says "${report}"`);
    assert.equal(server.hits.length, 0, 'Checking the file downloads nothing');

    const progressSeen = await watchTexts(browser, 'import-pictures-progress', '__e2ePanelProgress');
    const statusSeen = await watchTexts(browser, 'status-pictures-progress', '__e2eStatusProgress');
    await click('import-confirm');
    await waitFor('The import is saved', async () => (await count('import-done')) === 1);
    await waitFor(
      'The panel counts the pictures as they arrive ("Afbeeldingen: 1 van 3 gedownload")',
      async () => /Afbeeldingen: [12] van 3 gedownload/.test(await text('import-pictures-progress')) || (await progressSeen()),
    );
    assert.equal(await count('status-pictures-stop'), 1, 'The status bar shows the download too, with Stop');
    assert.equal(await count('import-pictures-stop'), 1, 'and the panel has Stop');
    await screenshot('pictures-downloading');
    server.release();

    await waitFor(
      'After the download the panel says two pictures were added and one could not be downloaded',
      async () => {
        const t = await text('import-pictures-result');
        return (/2 afbeeldingen toegevoegd/.test(t) && /1 afbeelding kon niet worden gedownload/.test(t)) || t;
      },
      30_000,
    );
    const status = await text('status-pictures');
    assert.match(status, /1 afbeelding kon niet worden gedownload/, `The status bar says one failed; it says "${status}"`);
    assert.ok(
      (await statusSeen()).some((s) => /van 3 gedownload/.test(s)),
      `The status bar showed the progress too (${JSON.stringify(await statusSeen())})`,
    );
    const failure = await text('import-picture-failure');
    assert.match(failure, /^4\b/, `The failure names row 4 of the spreadsheet; it says "${failure}"`);
    assert.match(failure, /404/, `and says the address gives 404; it says "${failure}"`);
    assert.match(failure, /E2E Schaal/, `and names the product; it says "${failure}"`);
    assert.equal(await count('import-pictures-retry'), 1, 'A failed picture can be tried again');
    await screenshot('pictures-done-panel');

    // The mug's pictures are in its editor, in Image Position order, with their alt text.
    const search = await browser.$('input[type="search"]');
    await search.setValue('E2E Mok');
    await waitFor('Searching finds the imported mug', async () => {
      const rows = await browser.execute((sel) => [...document.querySelectorAll(sel)].map((r) => r.innerText), byTestId('catalog-row'));
      return (rows.length === 1 && rows[0].includes('E2E Mok')) || rows;
    });
    await waitFor('The catalog row shows the mug\'s first picture', async () =>
      browser.execute((sel) => {
        const img = document.querySelector(sel)?.querySelector('img');
        return !!img && img.complete && img.naturalWidth > 0;
      }, byTestId('catalog-row')),
    );
    await (await browser.$$(byTestId('row-open')))[0].click();
    await (await browser.$(byTestId('product-editor'))).waitForDisplayed({
      timeout: UI_TIMEOUT_MS,
      timeoutMsg: "Clicking the mug's name opens the editor",
    });
    await click('editor-tab-pictures');
    await waitFor('The editor shows both pictures, loaded, front view first', async () => {
      const pics = await editorPictures(browser);
      return (
        (pics.length === 2 && pics.every((p) => p.loaded) && pics[0].alt === 'Mok van voren' && pics[1].alt === 'Mok van opzij') ||
        pics
      );
    });
    await screenshot('pictures-editor');
    assert.deepEqual(
      [...server.hits].sort(),
      ['mok-voor.png', 'mok-zij.png', 'schaal.png'],
      'Each address was asked for once',
    );
  });
});

describe('pictures still queued when the app starts', () => {
  let browser, stop, server, text, count, screenshot, waitFor, dataDir, opened;

  before(
    async () => {
      server = await startPictureServer({ files: FILES, held: 'kan.png', delayMs: PICTURE_DELAY_MS });
      const offline = await closedAddress();
      assert.ok(fs.existsSync(CLI), `The CLI ${CLI} is missing: build it first (cargo build -p kanaal-cli)`);
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kanaal-e2e-pictures-'));
      const file = path.join(dataDir, 'export.csv');
      fs.writeFileSync(
        file,
        [
          'Handle,Title,Variant SKU,Variant Price,Image Src,Image Position,Image Alt Text',
          `e2e-kan,E2E Kan,E2E-KAN,20.00,${server.base}/kan.png,1,Kan`,
          `e2e-vaas,E2E Vaas,E2E-VAAS,30.00,${offline}/vaas.png,1,Vaas`,
          '',
        ].join('\n'),
      );
      const data = path.join(dataDir, 'data');
      // Imported earlier, pictures left queued (as when the app was closed mid-download).
      const res = spawnSync(CLI, ['--data-dir', data, 'catalog', 'import', file, '--no-pictures'], {
        encoding: 'utf8',
        env: { ...process.env, KANAAL_DATA_DIR: data },
      });
      assert.equal(res.status, 0, `kanaal catalog import --no-pictures succeeds: ${res.stderr}${res.stdout}`);
      assert.equal(server.hits.length, 0, 'The CLI downloaded nothing');
      ({ browser, stop } = await startSession({ args: ['--data-dir', data] }));
      opened = Date.now();
      ({ text, count, screenshot } = pageHelpers(browser));
      waitFor = waiter(browser, screenshot);
    },
    { timeout: 120_000 },
  );

  after(async () => {
    await stop?.();
    await server?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  }, { timeout: 60_000 });

  it('downloads them in the background after the window opened, and says which wait for a connection', { timeout: 120_000 }, async () => {
    const statusSeen = await watchTexts(browser, 'status-pictures-progress', '__e2eStartProgress');
    await browser.waitUntil(async () => (await count('catalog-row')) === 2, {
      timeout: CATALOG_TIMEOUT_MS,
      timeoutMsg: 'The catalog shows the two imported products',
    });
    const catalogShown = Date.now();
    await waitFor(
      'While it downloads, the status bar says so',
      async () => /van 2 gedownload|wordt voorbereid/.test(await text('status-pictures-progress')) || (await statusSeen()),
    );
    assert.equal(await count('status-pictures-stop'), 1, 'with a Stop button');
    await screenshot('pictures-resuming-status-bar');
    server.release();
    await waitFor(
      'The queued picture downloads on its own; the status bar then says one picture waits for a connection',
      async () => /1 afbeelding wacht op een verbinding/.test(await text('status-pictures')) || (await text('status-pictures')),
      30_000,
    );
    assert.equal(server.hits.length, 1, 'The jug\'s picture was downloaded once');
    const seen = await statusSeen();
    assert.ok(
      seen.some((s) => /Afbeeldingen: .* van 2 gedownload|downloaden wordt voorbereid/.test(s)),
      `The status bar showed the download while it ran (${JSON.stringify(seen)}); catalog shown at +${catalogShown - opened} ms`,
    );
    await waitFor('The jug\'s row shows its downloaded picture', async () =>
      browser.execute((sel) => {
        const row = [...document.querySelectorAll(sel)].find((r) => r.innerText.includes('E2E Kan'));
        const img = row?.querySelector('img');
        return !!img && img.complete && img.naturalWidth > 0;
      }, byTestId('catalog-row')),
    );
    await screenshot('pictures-resumed-at-start');

    // The import panel says the same and offers to try again.
    await (await browser.$(byTestId('import-open'))).click();
    await waitFor('The import panel says one picture waits for a connection', async () =>
      /1 afbeelding wacht op een verbinding/.test(await text('import-pictures-offline')) || (await text('import-pictures')),
    );
    assert.equal(await count('import-pictures-download'), 1, 'and offers to try again');
    await screenshot('pictures-waiting-panel');
  });
});
