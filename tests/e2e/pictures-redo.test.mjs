// End-to-end: undo and redo of an import whose rows name pictures by web address, in the real
// window. Undoing the import before its pictures were downloaded takes them out of the queue
// (nothing is downloaded or shown while it is undone); Ctrl+Shift+Z puts the import back and the
// window downloads its pictures on its own, so the grid and the editor show them.
//
// How the pictures stay queued until the undo: a first import names one picture that the web
// server (on 127.0.0.1, started here) holds back and then answers with 404. While that download
// runs, the second import (the one undone and redone) is saved; its pictures wait for the
// running download to end (one download at a time), and Ctrl+Z comes first. The held picture
// fails, so no "pictures added" edit comes between the undo and the redo.
//
// Run: npm --prefix ui run build && cargo build -p kanaal-app -p kanaal-cli &&
//      xvfb-run -a -s '-screen 0 1280x800x24' scripts/with-keyring.sh node --test tests/e2e/pictures-redo.test.mjs

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  REPO, UI_TIMEOUT_MS, byTestId, dropCsv, openImportOnEmptyCatalog, pageHelpers, startPictureServer, startSession,
} from './support.mjs';

/** Real PNG files (the app's icons). The held one is not among them: it ends in 404. */
const FILES = {
  'kan.png': fs.readFileSync(path.join(REPO, 'icons', 'icon.png')),
  'mok-voor.png': fs.readFileSync(path.join(REPO, 'icons', '128x128@2x.png')),
  'mok-zij.png': fs.readFileSync(path.join(REPO, 'icons', 'icon.png')),
};
const HELD = 'verdwenen.png';

/** Each catalog row's text and whether it shows a loaded picture. */
function gridRows(browser) {
  return browser.execute((sel) =>
    [...document.querySelectorAll(sel)].map((row) => {
      const img = row.querySelector('img');
      return { text: row.innerText, picture: !!img && img.complete && img.naturalWidth > 0 };
    }),
  byTestId('catalog-row'));
}

const rowOf = (rows, title) => rows.find((r) => r.text.includes(title));

describe('pictures of an import that is undone and redone', () => {
  let browser, stop, server, text, click, count, screenshot, waitFor;

  before(
    async () => {
      server = await startPictureServer({ files: FILES, held: HELD });
      ({ browser, stop } = await startSession({ args: [] }));
      ({ text, click, count, screenshot, waitFor } = pageHelpers(browser, { failureShot: 'pictures-redo-failure' }));
    },
    { timeout: 120_000 },
  );

  after(async () => {
    await stop?.();
    await server?.close();
  }, { timeout: 60_000 });

  it('are not downloaded while the import is undone, and are downloaded and shown after Ctrl+Shift+Z', { timeout: 150_000 }, async () => {
    await openImportOnEmptyCatalog(browser, click);
    const base = server.base;
    const header = 'Handle,Title,Variant SKU,Variant Price,Image Src,Image Position,Image Alt Text';

    // 1. A jug whose picture the server holds back (its download keeps the one download busy).
    await dropCsv(browser, [header, `e2e-kan,E2E Kan,E2E-KAN,20.00,${base}/${HELD},1,Weg`, ''].join('\n'));
    await waitFor('The check of the first file offers Import', async () => (await count('import-confirm')) === 1);
    await click('import-confirm');
    await waitFor('The first import is saved', async () => (await count('import-done')) === 1);
    await waitFor('Its picture download has started and waits for the server', async () => server.hits.includes(HELD));

    // 2. The import to undo and redo: the jug gets a picture and a new price, a mug comes with two.
    await dropCsv(
      browser,
      [
        header,
        `e2e-kan,E2E Kan,E2E-KAN,21.00,${base}/kan.png,1,Kan`,
        `e2e-mok,E2E Mok,E2E-MOK,12.50,${base}/mok-zij.png,2,Mok van opzij`,
        `e2e-mok,,,,${base}/mok-voor.png,1,Mok van voren`,
        '',
      ].join('\n'),
    );
    await waitFor('The check of the second file offers Import', async () => (await count('import-confirm')) === 1);
    const report = await text('import-report');
    assert.match(report, /3 afbeeldingen om te downloaden/, `The check counts three picture addresses; it says "${report}"`);
    await click('import-confirm');
    await waitFor('The second import is saved and is the step to undo', async () => /1 nieuw, 1 gewijzigd/.test(await text('undo-button')));
    await waitFor('The grid lists the jug and the mug', async () => (await count('catalog-row')) === 2);
    assert.deepEqual(server.hits, [HELD], 'Nothing of the second import was downloaded yet (one download at a time)');

    // 3. Ctrl+Z undoes the second import before its pictures are downloaded.
    await browser.execute(() => document.activeElement?.blur());
    await browser.keys(['Control', 'z']);
    await waitFor('Ctrl+Z takes the mug away again', async () => {
      const rows = await gridRows(browser);
      return (rows.length === 1 && rows[0].text.includes('E2E Kan')) || false;
    });
    assert.match(rowOf(await gridRows(browser), 'E2E Kan').text, /20,00/, "and puts the jug's price back");

    // The first import's download ends (its picture gives 404); nothing else is fetched.
    server.release();
    await waitFor(
      'The held download ends and the status bar says its picture could not be downloaded',
      async () => /1 afbeelding kon niet worden gedownload/.test(await text('status-pictures')),
      30_000,
    );
    // Time for a download that should not happen (the window reacts to every change within this).
    await browser.pause(3_000);
    assert.deepEqual(server.hits, [HELD], 'While the import is undone none of its pictures is downloaded');
    assert.equal(await count('import-pictures-queued'), 0, 'and the panel says no picture waits');
    assert.equal(rowOf(await gridRows(browser), 'E2E Kan').picture, false, 'The jug shows no picture while the import is undone');
    await screenshot('pictures-redo-undone');

    // 4. Ctrl+Shift+Z redoes it: the mug is back and the pictures download on their own.
    await browser.execute(() => document.activeElement?.blur());
    await browser.keys(['Control', 'Shift', 'z']);
    await waitFor('Ctrl+Shift+Z brings the mug back', async () => (await count('catalog-row')) === 2);
    await waitFor(
      'After the redo the window downloads the three pictures by itself and the grid shows the jug\'s and the mug\'s',
      async () => {
        const rows = await gridRows(browser);
        return rows.length === 2 && rows.every((r) => r.picture);
      },
      30_000,
    );
    assert.deepEqual(
      [...server.hits].sort(),
      [HELD, 'kan.png', 'mok-voor.png', 'mok-zij.png'].sort(),
      'Each picture of the redone import was asked for once, and the failed one not again',
    );
    assert.match(rowOf(await gridRows(browser), 'E2E Kan').text, /21,00/, "The redo put the jug's new price back too");
    await screenshot('pictures-redo-grid');

    // The mug's editor shows both pictures, loaded, in the file's order.
    await browser.execute(
      (sel) => [...document.querySelectorAll(sel)].find((r) => r.innerText.includes('E2E Mok'))?.querySelector('[data-testid="row-open"]')?.click(),
      byTestId('catalog-row'),
    );
    await (await browser.$(byTestId('product-editor'))).waitForDisplayed({
      timeout: UI_TIMEOUT_MS,
      timeoutMsg: "Clicking the mug's name opens the editor",
    });
    await click('editor-tab-pictures');
    await waitFor('The editor shows the mug\'s two pictures, loaded, front view first', async () => {
      const pics = await browser.execute((sel) =>
        [...document.querySelectorAll(sel)].map((li) => {
          const img = li.querySelector('img');
          return { loaded: !!img && img.complete && img.naturalWidth > 0, alt: li.querySelector('input')?.value ?? '' };
        }),
      byTestId('editor-picture'));
      return pics.length === 2 && pics.every((p) => p.loaded) && pics[0].alt === 'Mok van voren' && pics[1].alt === 'Mok van opzij';
    });
    await screenshot('pictures-redo-editor');
  });
});
