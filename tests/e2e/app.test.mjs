// End-to-end tests of the catalog, settings, channels and first start, in the real window.
// How the sessions are started and how to run these: see support.mjs.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  MIN_DEMO_PRODUCTS, MIN_VISIBLE_ROWS, DUTCH_CATALOG, ENGLISH_CATALOG, PAGES,
  CATALOG_TIMEOUT_MS, UI_TIMEOUT_MS, byTestId, dropCsv, startSession, pageHelpers, largestNumber,
} from './support.mjs';

// --- the test --------------------------------------------------------------------------------

describe('Kanaal desktop app (demo shop, fresh data folder)', () => {
  let browser, stop, text, click, count, screenshot;

  before(
    async () => {
      ({ browser, stop } = await startSession({ args: ['--demo'] }));
      ({ text, click, count, screenshot } = pageHelpers(browser));
    },
    { timeout: 120_000 },
  );

  after(async () => stop?.(), { timeout: 60_000 });

  it('opens on the catalog, filled with the demo shop', { timeout: 60_000 }, async () => {
    await browser
      .waitUntil(
        async () => (await browser.$$(byTestId('catalog-row'))).length >= MIN_VISIBLE_ROWS,
        { timeout: CATALOG_TIMEOUT_MS, interval: 250 },
      )
      .catch(async () => {
        const rows = (await browser.$$(byTestId('catalog-row'))).length;
        await screenshot('catalog-timeout').catch(() => {});
        assert.fail(
          `With --demo on an empty data folder the catalog lists the demo shop's products ` +
            `(at least ${MIN_VISIBLE_ROWS} rows in view within ${CATALOG_TIMEOUT_MS / 1000} s); ` +
            `it shows ${rows}. See target/e2e/catalog-timeout.png and driver.log`,
        );
      });
    const count = await text('catalog-count');
    assert.ok(
      largestNumber(count) >= MIN_DEMO_PRODUCTS,
      `The catalog tells how many products there are (at least ${MIN_DEMO_PRODUCTS}); it says "${count}"`,
    );
    assert.equal(
      await text('nav-catalog'),
      DUTCH_CATALOG,
      `On a Dutch system a fresh install speaks Dutch: the catalog link reads "${DUTCH_CATALOG}"`,
    );
    assert.notEqual(await text('page-title'), '', 'The catalog page shows a title');
    await screenshot('catalog-nl');
  });

  it('shows product pictures from the data folder', { timeout: 30_000 }, async () => {
    const SAMPLE = 10;
    // The pictures are lazy-loaded: bring the sample rows into view, then wait until every one
    // has finished loading (or failed: a thumbnail that fails is swapped for a placeholder).
    const look = () =>
      browser.execute(
        (sel, n) => {
          const rows = [...document.querySelectorAll(sel)].slice(0, n);
          rows.at(-1)?.scrollIntoView({ block: 'nearest' });
          return rows.map((row) => {
            const img = row.querySelector('img');
            return img
              ? { src: img.currentSrc || img.src, done: img.complete, width: img.naturalWidth }
              : null;
          });
        },
        byTestId('catalog-row'),
        SAMPLE,
      );
    let thumbs = [];
    await browser
      .waitUntil(
        async () => {
          thumbs = await look();
          return thumbs.length === SAMPLE && thumbs.every((t) => t?.done);
        },
        { timeout: UI_TIMEOUT_MS, interval: 250 },
      )
      .catch(() => {}); // the assertion below tells what is wrong
    const bad = thumbs
      .map((t, i) => ({ row: i + 1, ...t }))
      .filter((t) => !(t.done && t.width > 0 && /^kanaal-image:/.test(t.src ?? '')));
    assert.ok(
      thumbs.length === SAMPLE && bad.length === 0,
      `Product pictures are served from the data folder and shown in the catalog: the first ` +
        `${SAMPLE} rows each show a loaded kanaal-image: picture (naturalWidth > 0); ` +
        `${thumbs.length} rows looked at, not so: ${JSON.stringify(bad)}`,
    );
    await browser.execute(
      (sel) => document.querySelector(sel)?.scrollIntoView({ block: 'nearest' }),
      byTestId('catalog-row'),
    );
  });

  it('opens Settings from the navigation', { timeout: 30_000 }, async () => {
    const catalogTitle = await text('page-title');
    await click('nav-settings');
    const select = await browser.$(byTestId('language-select'));
    await select.waitForExist({
      timeout: UI_TIMEOUT_MS,
      timeoutMsg: 'The Settings link opens the Settings page, which has the language choice',
    });
    const title = await text('page-title');
    assert.ok(title !== '' && title !== catalogTitle, `Settings has its own title (got "${title}")`);
  });

  it('switches the whole interface to English from Settings', { timeout: 30_000 }, async () => {
    const titleBefore = await text('page-title');
    const navBefore = await text('nav-catalog');
    await (await browser.$(byTestId('language-select'))).selectByAttribute('value', 'en');
    // Read the value afresh: the UI may re-render the select after the change.
    const chosen = await browser.execute(
      (sel) => document.querySelector(sel)?.value,
      byTestId('language-select'),
    );
    if (chosen !== 'en') {
      // Fallback if the driver could not click the <option>: choose it as a script would.
      console.error(`e2e: clicking the English <option> left the select at "${chosen}"; using a script`);
      await browser.execute((sel) => {
        const el = document.querySelector(sel);
        el.value = 'en';
        el.dispatchEvent(new Event('input', { bubbles: true }));
        el.dispatchEvent(new Event('change', { bubbles: true }));
      }, byTestId('language-select'));
    }
    await browser
      .waitUntil(async () => (await text('nav-catalog')) === ENGLISH_CATALOG, {
        timeout: UI_TIMEOUT_MS,
      })
      .catch(async () =>
        assert.fail(
          `Choosing English relabels the navigation at once: the catalog link reads ` +
            `"${ENGLISH_CATALOG}" (was "${navBefore}", now "${await text('nav-catalog')}")`,
        ),
      );
    await browser
      .waitUntil(async () => !['', titleBefore].includes(await text('page-title')), {
        timeout: UI_TIMEOUT_MS,
      })
      .catch(async () =>
        assert.fail(
          `Choosing English also translates the page title (still "${await text('page-title')}")`,
        ),
      );
    await screenshot('settings-en');
  });

  it('shows a titled page behind every navigation link', { timeout: 90_000 }, async () => {
    const titles = new Map();
    let previous = await text('page-title');
    for (const page of PAGES) {
      await click(`nav-${page}`);
      await browser
        .waitUntil(async () => !['', previous].includes(await text('page-title')), {
          timeout: UI_TIMEOUT_MS,
        })
        .catch(async () =>
          assert.fail(
            `The ${page} link opens a page with its own, non-empty title ` +
              `(title is "${await text('page-title')}", the page before was "${previous}")`,
          ),
        );
      previous = await text('page-title');
      titles.set(page, previous);
      if (page === 'insights') await screenshot('insights');
    }
    assert.equal(
      new Set(titles.values()).size,
      PAGES.length,
      `Every page has a title of its own: ${JSON.stringify(Object.fromEntries(titles))}`,
    );
  });

  it('edits a price inline, bulk edits two products and undoes both', { timeout: 120_000 }, async () => {
    // The interface is English by now (an earlier test switched it): amounts read "€8.95".
    await click('nav-catalog');
    await browser.waitUntil(async () => (await count('catalog-row')) >= 2, {
      timeout: CATALOG_TIMEOUT_MS,
      timeoutMsg: 'The catalog lists the demo products again',
    });
    /** The price cell of the catalog row at `index`. */
    const rowPrice = (index) =>
      browser.execute(
        (sel, i) => document.querySelectorAll(sel)[i]?.querySelector('[data-testid="row-price"]')?.innerText.trim() ?? '',
        byTestId('catalog-row'),
        index,
      );
    const waitFor = async (what, check) => {
      let last;
      await browser
        .waitUntil(async () => (last = await check()) === true, { timeout: UI_TIMEOUT_MS, interval: 150 })
        .catch(async () => {
          await screenshot('edit-failure').catch(() => {});
          assert.fail(`${what} (last seen: ${JSON.stringify(last)}); see target/e2e/edit-failure.png`);
        });
    };
    const firstBefore = await rowPrice(0);
    const secondBefore = await rowPrice(1);

    // 1. Inline edit: open the first row's variants and give the first one a new price.
    const expand = (await browser.$$(byTestId('row-expand')))[0];
    await expand.click();
    const input = await browser.$(byTestId('variant-price-input'));
    await input.waitForDisplayed({
      timeout: UI_TIMEOUT_MS,
      timeoutMsg: "The chevron opens the row's variants with an editable price",
    });
    const oldValue = await input.getValue();
    const newValue = (Number.parseFloat(oldValue.replace(',', '.')) + 100).toFixed(2);
    await input.click();
    // A price below zero is refused by the Rust side; its message shows next to the field and
    // Escape puts the stored value back.
    await browser.keys(['Control', 'a']);
    await browser.keys([...'-5', 'Enter']);
    await waitFor('A negative price shows the validation message next to the field', async () => {
      const message = await text('edit-error');
      return /zero|nul/i.test(message) || message;
    });
    await screenshot('variant-error');
    await browser.keys(['Escape']);
    await waitFor(`Escape restores "${oldValue}" and clears the message`, async () => {
      const now = await input.getValue();
      return (now === oldValue && (await count('edit-error')) === 0) || now;
    });
    await browser.keys(['Control', 'a']);
    await browser.keys([...newValue, 'Enter']);
    await waitFor(
      `After Enter the first row's price shows the new price ${newValue} (was "${firstBefore}")`,
      async () => {
        const now = await rowPrice(0);
        return now.includes(newValue) || now;
      },
    );
    const errors = await count('edit-error');
    assert.equal(errors, 0, 'A valid price shows no error next to the field');
    const firstEdited = await rowPrice(0);

    // 2. Bulk edit: tick two rows, +10% (the panel's default), preview, apply.
    const boxes = await browser.$$(byTestId('row-select'));
    await boxes[0].click();
    await boxes[1].click();
    await click('bulk-open');
    const value = await browser.$(byTestId('bulk-value'));
    await value.waitForDisplayed({ timeout: UI_TIMEOUT_MS, timeoutMsg: 'Bulk edit opens its panel' });
    assert.equal(await value.getValue(), '10', 'The bulk panel starts at +10%');
    await click('bulk-preview');
    await waitFor('The preview lists the changes, row by row', async () => (await count('bulk-preview-row')) > 0);
    const previewRows = await count('bulk-preview-row');
    const countText = await text('bulk-count');
    assert.ok(
      largestNumber(countText) === previewRows,
      `The preview says how many changes (${previewRows} rows shown); it says "${countText}"`,
    );
    await screenshot('bulk-preview');
    await click('bulk-apply');
    await waitFor(
      `Applying +10% changes the second row's price (was "${secondBefore}")`,
      async () => {
        const now = await rowPrice(1);
        return (now !== secondBefore && now !== '') || now;
      },
    );
    assert.notEqual(await rowPrice(0), firstEdited, 'The first selected row got +10% too');
    const undoLabel = await text('undo-button');
    assert.match(undoLabel, /10%/, `The undo button names the bulk edit; it says "${undoLabel}"`);

    // 3. Undo: Ctrl+Z takes the bulk edit back, the undo button the inline edit.
    await browser.execute(() => document.activeElement?.blur());
    await browser.keys(['Control', 'z']);
    await waitFor(`Ctrl+Z puts the second row's price back to "${secondBefore}"`, async () => {
      const now = await rowPrice(1);
      return now === secondBefore || now;
    });
    await waitFor(`Ctrl+Z puts the first row's price back to "${firstEdited}"`, async () => {
      const now = await rowPrice(0);
      return now === firstEdited || now;
    });
    await click('undo-button');
    await waitFor(`Undo puts the first row's price back to "${firstBefore}"`, async () => {
      const now = await rowPrice(0);
      return now === firstBefore || now;
    });
    await waitFor(`The variant's price field shows "${oldValue}" again`, async () => {
      const now = await (await browser.$(byTestId('variant-price-input'))).getValue();
      return now === oldValue || now;
    });
    await screenshot('undo-done');
  });

  it('scrolls the virtualised list to the end and finds products by a part of a word', { timeout: 60_000 }, async () => {
    await click('nav-catalog');
    await browser.waitUntil(async () => (await count('catalog-row')) >= MIN_VISIBLE_ROWS, {
      timeout: CATALOG_TIMEOUT_MS,
      timeoutMsg: 'The catalog lists the demo products',
    });
    const total = largestNumber(await text('catalog-count'));
    const rendered = await count('catalog-row');
    assert.ok(
      rendered < total,
      `Only the rows in view are in the page (${rendered} of ${total}), so 100,000 products stay smooth`,
    );
    // Scroll to the very end: the last product arrives and is drawn.
    await browser.execute((sel) => {
      const v = document.querySelector(sel);
      v.scrollTop = v.scrollHeight;
    }, byTestId('catalog-viewport'));
    let last = -1;
    await browser
      .waitUntil(
        async () =>
          (last = await browser.execute(
            (sel) => Math.max(-1, ...[...document.querySelectorAll(sel)].map((r) => Number(r.dataset.index))),
            byTestId('catalog-row'),
          )) ===
          total - 1,
        { timeout: UI_TIMEOUT_MS, interval: 150 },
      )
      .catch(() => assert.fail(`Scrolling to the end shows product ${total} (last drawn: ${last + 1})`));
    await screenshot('catalog-scrolled-to-end');

    // Keyboard: Home goes back to the first row, with focus on it.
    await browser.execute((sel) => document.querySelector(sel)?.focus(), `${byTestId('catalog-row')}[data-index="${total - 1}"]`);
    await browser.keys(['Home']);
    await browser.waitUntil(
      async () => (await browser.execute(() => document.activeElement?.dataset?.index)) === '0',
      { timeout: UI_TIMEOUT_MS, timeoutMsg: 'Home moves the focus back to the first product' },
    );

    // "melange" is inside "Huismelange" and "Ontbijtmelange": a word search would miss them.
    const search = await browser.$('input[type="search"]');
    await search.setValue('melange');
    let titles = [];
    await browser
      .waitUntil(
        async () => {
          titles = await browser.execute(
            (sel) => [...document.querySelectorAll(sel)].map((r) => r.innerText),
            byTestId('catalog-row'),
          );
          return titles.length > 0 && titles.length < total && titles.some((t) => /huismelange|house blend/i.test(t));
        },
        { timeout: UI_TIMEOUT_MS, interval: 150 },
      )
      .catch(() => assert.fail(`Searching "melange" narrows the list to the blends, Huismelange (House blend) among them; rows: ${JSON.stringify(titles)}`));
    await search.clearValue();
    await browser.execute((sel) => {
      const input = document.querySelector(sel);
      input.value = '';
      input.dispatchEvent(new Event('input', { bubbles: true }));
    }, 'input[type="search"]');
  });

  it('edits a product in the editor, checking the EAN as it is typed', { timeout: 90_000 }, async () => {
    await browser.waitUntil(async () => (await count('catalog-row')) >= MIN_VISIBLE_ROWS, {
      timeout: CATALOG_TIMEOUT_MS,
      timeoutMsg: 'The full catalog is back after clearing the search',
    });
    // The SKUs of the second product (the grid names them in a cell's title), for a refusal below.
    const otherSkus = await browser.execute(
      (sel) => document.querySelectorAll(sel)[1]?.querySelector('td.num[title]')?.getAttribute('title') ?? '',
      byTestId('catalog-row'),
    );
    const otherSku = otherSkus.replace(/^[^:]*:\s*/, '').split(',')[0].trim();
    assert.ok(otherSku, `The grid names the second product's SKUs; it says "${otherSkus}"`);
    await (await browser.$$(byTestId('row-open')))[0].click();
    const editor = await browser.$(byTestId('product-editor'));
    await editor.waitForDisplayed({ timeout: UI_TIMEOUT_MS, timeoutMsg: "Clicking a product's name opens the editor" });
    const titleEn = await browser.$(byTestId('editor-titleEn'));
    await titleEn.waitForDisplayed({ timeout: UI_TIMEOUT_MS, timeoutMsg: 'The editor shows the English title' });
    const oldTitle = await titleEn.getValue();
    const newTitle = `${oldTitle} (E2E)`;
    await titleEn.setValue(newTitle);

    await click('editor-tab-variants');
    const ean = (await browser.$$(byTestId('editor-variant-gtin')))[0];
    await ean.waitForDisplayed({ timeout: UI_TIMEOUT_MS, timeoutMsg: 'The variants tab lists the variants' });
    const good = await ean.getValue();
    // Change the check digit: the editor says which digit it should be, before saving.
    const wrong = good.slice(0, -1) + String((Number(good.at(-1)) + 1) % 10);
    await ean.setValue(wrong);
    await browser.waitUntil(async () => (await count('editor-problem')) > 0, {
      timeout: UI_TIMEOUT_MS,
      timeoutMsg: `A wrong EAN check digit (${wrong}) is reported as it is typed`,
    });
    const problem = await text('editor-problem');
    assert.match(problem, new RegExp(`should be ${good.at(-1)}`), `The message names the right digit; it says "${problem}"`);
    assert.equal(await (await browser.$(byTestId('editor-save'))).isEnabled(), false, 'Save waits until the EAN is right');
    await screenshot('editor-ean-problem');
    await ean.setValue(good);
    await browser.waitUntil(async () => (await count('editor-problem')) === 0, {
      timeout: UI_TIMEOUT_MS,
      timeoutMsg: 'The message goes away once the EAN is right again',
    });

    // A SKU another product's variant has: only the catalog can tell, so saving is refused and
    // the refusal is worded in the window's language (English since the Settings test).
    const sku = (await browser.$$(byTestId('editor-variant-sku')))[0];
    const ownSku = await sku.getValue();
    await sku.setValue(otherSku);
    await browser.keys(['Control', 's']);
    const refusal = () =>
      browser.execute(
        (sel) => [...document.querySelectorAll(`${sel} .notice[role="alert"]`)].map((n) => n.innerText).join(' '),
        byTestId('product-editor'),
      );
    await browser.waitUntil(async () => (await refusal()).includes('already used by another variant'), {
      timeout: UI_TIMEOUT_MS,
      timeoutMsg: 'Saving a SKU another variant has is refused with a message',
    });
    assert.match(
      await refusal(),
      new RegExp(`SKU '${otherSku}' is already used by another variant; each variant needs its own\\.`),
      'The refusal names the field and the SKU in the window language',
    );
    assert.equal(
      await browser.execute((sel) => document.querySelector(`${sel} .notice button`) === null, byTestId('product-editor')),
      true,
      'A refused save offers no "try again" (it would reload the product and throw the edits away)',
    );
    await screenshot('editor-sku-in-use');
    await sku.setValue(ownSku);

    await browser.keys(['Control', 's']);
    await browser.waitUntil(async () => (await count('editor-dirty')) === 0, {
      timeout: UI_TIMEOUT_MS,
      timeoutMsg: 'Ctrl+S saves the editor (nothing left unsaved)',
    });
    await click('editor-tab-history');
    await browser.waitUntil(async () => (await count('history-row')) > 0, {
      timeout: UI_TIMEOUT_MS,
      timeoutMsg: 'The history tab lists the product changes',
    });
    const firstEntry = await browser.execute((sel) => document.querySelector(sel)?.innerText ?? '', byTestId('history-row'));
    assert.ok(firstEntry.includes('(E2E)'), `The newest history entry is the title just saved; it reads "${firstEntry}"`);
    await screenshot('editor-history');
    await click('editor-close');
    await browser.waitUntil(
      async () =>
        (await browser.execute(
          (sel) => [...document.querySelectorAll(sel)].some((r) => r.innerText.includes('(E2E)')),
          byTestId('catalog-row'),
        )) === true,
      { timeout: UI_TIMEOUT_MS, timeoutMsg: 'The catalog shows the new title after saving' },
    );
    // Undo takes the editor's save back as one step.
    await browser.keys(['Control', 'z']);
    await browser.waitUntil(
      async () =>
        (await browser.execute(
          (sel) => [...document.querySelectorAll(sel)].some((r) => r.innerText.includes('(E2E)')),
          byTestId('catalog-row'),
        )) === false,
      { timeout: UI_TIMEOUT_MS, timeoutMsg: 'Ctrl+Z in the catalog undoes the editor save' },
    );
  });

  it('connects the demo to the sandbox channels and tests a connection', { timeout: 60_000 }, async () => {
    await click('nav-channels');
    // The demo starts the platform sandboxes on 127.0.0.1 and connects a channel to each.
    await browser.waitUntil(async () => (await count('channel-row')) >= 2, {
      timeout: CATALOG_TIMEOUT_MS,
      interval: 250,
      timeoutMsg: 'With --demo the Channels page lists the demo webshop and bol.com channels',
    });
    const rows = await browser.execute(
      (sel) => [...document.querySelectorAll(sel)].map((r) => r.innerText),
      byTestId('channel-row'),
    );
    assert.ok(rows.some((r) => /bol\.com/i.test(r)), `A bol.com channel is connected: ${JSON.stringify(rows)}`);
    assert.ok(rows.some((r) => /shopify|webshop/i.test(r)), `A webshop channel is connected: ${JSON.stringify(rows)}`);
    for (const [i, row] of rows.entries()) {
      await (await browser.$$(byTestId('channel-test')))[i].click();
      let result = '';
      await browser
        .waitUntil(
          async () => {
            result = await browser.execute(
              (sel, n) => document.querySelectorAll(sel)[n]?.innerText ?? '',
              byTestId('channel-test-result'),
              i,
            );
            return result !== '';
          },
          { timeout: UI_TIMEOUT_MS, interval: 200 },
        )
        .catch(() => assert.fail(`Testing the connection of "${row}" gives an answer`));
      assert.match(result, /^Connected as /, `The sandbox accepts the demo's login for "${row}"; it says "${result}"`);
    }
    await screenshot('channels-connected');
    // Pausing shows at once, and can be undone with Resume.
    await (await browser.$$(byTestId('channel-toggle')))[0].click();
    await browser.waitUntil(
      async () => /Off/.test(await browser.execute((sel) => document.querySelector(sel)?.innerText ?? '', byTestId('channel-row'))),
      { timeout: UI_TIMEOUT_MS, timeoutMsg: 'Pause turns the channel off' },
    );
    await (await browser.$$(byTestId('channel-toggle')))[0].click();
    await click('nav-catalog');
  });

  it('imports a CSV dropped on the catalog', { timeout: 90_000 }, async () => {
    await click('nav-catalog');
    await browser.waitUntil(async () => (await count('catalog-row')) >= 2, {
      timeout: CATALOG_TIMEOUT_MS,
      timeoutMsg: 'The catalog lists the demo products',
    });
    const waitFor = async (what, check) => {
      let last;
      await browser
        .waitUntil(async () => (last = await check()) === true, { timeout: UI_TIMEOUT_MS, interval: 150 })
        .catch(async () => {
          await screenshot('import-failure').catch(() => {});
          assert.fail(`${what} (last seen: ${JSON.stringify(last)}); see target/e2e/import-failure.png`);
        });
    };

    await click('import-open');
    const zone = await browser.$(byTestId('import-drop'));
    await zone.waitForDisplayed({ timeout: UI_TIMEOUT_MS, timeoutMsg: 'Import opens a panel with a drop zone' });

    // A Shopify export after a round through Dutch Excel: semicolons and decimal commas. Row 2
    // is a good new product, row 3 has a price in words.
    const csv = [
      'Handle;Title;Variant SKU;Variant Price',
      'e2e-koffie;E2E Koffie;E2E-1;"12,50"',
      'e2e-thee;E2E Thee;E2E-2;twaalf',
      '',
    ].join('\r\n');
    await dropCsv(browser, csv, 'producten.csv');

    await waitFor('The dry run reports the bad price "twaalf" in a problem row', async () => {
      const rows = await browser.execute(
        (sel) => [...document.querySelectorAll(sel)].map((r) => r.innerText),
        byTestId('import-problem-row'),
      );
      return rows.some((r) => r.includes('twaalf')) || rows;
    });
    assert.equal(await text('import-created'), '1', 'The report counts one new product');
    assert.equal(await count('import-confirm'), 0, 'With an error in the file there is no plain Import button');
    assert.ok(/\b3\b/.test(await text('import-problem-row')), 'The problem names row 3 of the spreadsheet');
    await screenshot('import-report');

    await click('import-valid-only');
    await waitFor('Importing the valid rows says it is done', async () => (await count('import-done')) === 1);
    const done = await text('import-done');
    assert.match(done, /\b1\b/, `The success message counts the new product; it says "${done}"`);

    const search = await browser.$('input[type="search"]');
    await search.setValue('E2E Koffie');
    await waitFor('Searching for "E2E Koffie" finds exactly the imported product', async () => {
      const titles = await browser.execute(
        (sel) => [...document.querySelectorAll(sel)].map((r) => r.innerText),
        byTestId('catalog-row'),
      );
      return (titles.length === 1 && titles[0].includes('E2E Koffie')) || titles;
    });

    // The import is one step on the undo stack: undo removes the new product, redo brings it back.
    const undoLabel = await text('undo-button');
    assert.match(undoLabel, /Import/, `The undo button names the import; it says "${undoLabel}"`);
    await click('undo-button');
    await waitFor('Undo removes the imported product', async () => (await count('catalog-row')) === 0);
    await screenshot('import-undone');
    await click('redo-button');
    await waitFor('Redo brings the imported product back', async () => {
      const titles = await browser.execute(
        (sel) => [...document.querySelectorAll(sel)].map((r) => r.innerText),
        byTestId('catalog-row'),
      );
      return (titles.length === 1 && titles[0].includes('E2E Koffie')) || titles;
    });
  });
});

describe('first start on an empty data folder', () => {
  let browser, stop, text, click, count, screenshot;

  before(
    async () => {
      ({ browser, stop } = await startSession({ args: [] }));
      ({ text, click, count, screenshot } = pageHelpers(browser));
    },
    { timeout: 120_000 },
  );

  after(async () => stop?.(), { timeout: 60_000 });

  it('welcomes a new user with an empty catalog', { timeout: 60_000 }, async () => {
    await (await browser.$(byTestId('welcome'))).waitForDisplayed({
      timeout: CATALOG_TIMEOUT_MS,
      timeoutMsg: 'Without --demo, a fresh install opens on the catalog with the welcome panel',
    });
    assert.equal(
      await count('catalog-row'),
      0,
      'On an empty data folder the catalog has no products (0 rows)',
    );
    await screenshot('welcome-nl');
  });

  it('loads the demo shop from the welcome panel', { timeout: 90_000 }, async (t) => {
    // Loading is quick: a watcher in the page notes the progress bar however briefly it shows,
    // and the furthest step that arrived over the progress channel.
    await browser.execute((sel) => {
      const seen = { bar: false, done: 0, total: 0 };
      const note = () => {
        const bar = document.querySelector(sel);
        if (!bar) return;
        seen.bar = true;
        seen.done = Math.max(seen.done, Number(bar.getAttribute('aria-valuenow')) || 0);
        seen.total = Math.max(seen.total, Number(bar.getAttribute('aria-valuemax')) || 0);
      };
      new MutationObserver(note).observe(document.body, {
        subtree: true,
        childList: true,
        attributes: true,
        attributeFilter: ['aria-valuenow', 'aria-valuemax'],
      });
      window.__kanaalE2eProgress = seen;
    }, byTestId('demo-progress'));
    const started = Date.now();
    await click('demo-load');

    const state = () =>
      browser.execute(
        (ids) => ({
          seen: window.__kanaalE2eProgress,
          welcome: !!document.querySelector(ids.welcome),
          progress: !!document.querySelector(ids.progress),
          rows: document.querySelectorAll(ids.row).length,
          panel: document.querySelector(ids.welcome)?.innerText ?? '',
        }),
        {
          welcome: byTestId('welcome'),
          progress: byTestId('demo-progress'),
          row: byTestId('catalog-row'),
        },
      );
    const complete = (s) => !s.welcome && !s.progress && s.rows >= MIN_VISIBLE_ROWS;
    let now = await state();

    await browser
      .waitUntil(async () => (now = await state()).seen.bar || complete(now), {
        timeout: UI_TIMEOUT_MS,
        interval: 100,
      })
      .catch(() =>
        assert.fail(
          `"Load the demo shop" shows a progress bar while it loads, or is done at once ` +
            `(neither after ${UI_TIMEOUT_MS / 1000} s; the welcome panel says "${now.panel}")`,
        ),
      );

    await browser
      .waitUntil(async () => complete((now = await state())), {
        timeout: CATALOG_TIMEOUT_MS,
        interval: 250,
      })
      .catch(async () => {
        await screenshot('demo-load-timeout').catch(() => {});
        assert.fail(
          `Loading the demo shop from the welcome panel finishes within ` +
            `${CATALOG_TIMEOUT_MS / 1000} s: the welcome panel and progress bar go away and the ` +
            `catalog shows at least ${MIN_VISIBLE_ROWS} rows (now: welcome panel ` +
            `${now.welcome ? 'still shown' : 'gone'}, progress bar ` +
            `${now.progress ? 'still shown' : 'gone'}, ${now.rows} rows; panel says ` +
            `"${now.panel}"). See target/e2e/demo-load-timeout.png and driver.log`,
        );
      });
    t.diagnostic(
      `demo shop loaded in ${Date.now() - started} ms; progress bar seen: ${now.seen.bar}, ` +
        `furthest step: ${now.seen.done}/${now.seen.total}`,
    );

    assert.equal(
      await count('welcome'),
      0,
      'Once the demo shop is loaded the welcome panel is gone',
    );
    const countText = await text('catalog-count');
    assert.ok(
      largestNumber(countText) >= MIN_DEMO_PRODUCTS,
      `After loading, the catalog tells how many products there are (at least ` +
        `${MIN_DEMO_PRODUCTS}); it says "${countText}"`,
    );
    await screenshot('demo-loaded-nl');
  });
});
