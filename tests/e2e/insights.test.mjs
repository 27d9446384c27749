// End-to-end test of the Insights page on the demo shop: the one-page channel comparison shows
// every demo channel, and after a sync (orders from the sandbox platforms) its charts have
// data, their numbers are one click away, and the fee, sentiment and overlap sections show
// either charts or a plain-words empty state. Screenshots go to target/e2e/insights-*.png.
// How sessions are started and how to run this: see support.mjs.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CATALOG_TIMEOUT_MS, MIN_VISIBLE_ROWS, UI_TIMEOUT_MS, byTestId, pageHelpers, startSession } from './support.mjs';

// The channels --demo connects (src-tauri/app/src/demo_channels.rs).
const DEMO_CHANNELS = ['Webshop (sandbox)', 'bol.com (sandbox)'];
const SYNC_TIMEOUT_MS = 90_000;

describe('Insights on the demo shop', () => {
  let browser, stop, text, click, count, screenshot;

  before(
    async () => {
      ({ browser, stop } = await startSession({ args: ['--demo'] }));
      ({ text, click, count, screenshot } = pageHelpers(browser));
      await browser.waitUntil(async () => (await count('catalog-row')) >= MIN_VISIBLE_ROWS, {
        timeout: CATALOG_TIMEOUT_MS,
        timeoutMsg: 'The demo shop opens with its catalog',
      });
    },
    { timeout: 120_000 },
  );

  after(async () => stop?.(), { timeout: 60_000 });

  /** The channel names heading the comparison's columns. */
  const comparisonChannels = () =>
    browser.execute(
      (sel) => [...document.querySelectorAll(sel)].map((e) => e.innerText.trim()),
      byTestId('comparison-channel'),
    );

  /** Waits until the comparison lists every demo channel. */
  async function waitForAllChannels(what) {
    let seen = [];
    await browser
      .waitUntil(
        async () => {
          seen = await comparisonChannels();
          return DEMO_CHANNELS.every((c) => seen.includes(c));
        },
        { timeout: 30_000, interval: 300 },
      )
      .catch(async () => {
        await screenshot('insights-failure').catch(() => {});
        assert.fail(`${what}: the comparison lists every demo channel ${JSON.stringify(DEMO_CHANNELS)}; it lists ${JSON.stringify(seen)} (target/e2e/insights-failure.png)`);
      });
  }

  it('before any sync, compares the demo channels and says there are no orders yet', { timeout: 60_000 }, async () => {
    await click('nav-insights');
    await waitForAllChannels('Before a sync');
    const empty = await text('insights-empty-orders');
    assert.match(empty, /Nog geen bestellingen/, `Without orders the comparison says so in plain Dutch words; it says "${empty}"`);
    await screenshot('insights-before-sync');
  });

  it('after a sync, shows every demo channel with non-empty charts and the numbers behind them', { timeout: 180_000 }, async () => {
    await click('nav-orders');
    await click('orders-sync');
    await browser
      .waitUntil(async () => (await count('orders-sync-result')) > 0 && (await count('order-row')) > 0, {
        timeout: SYNC_TIMEOUT_MS,
        interval: 500,
      })
      .catch(async () => {
        await screenshot('insights-sync-failure').catch(() => {});
        assert.fail(`Sync now brings the sandbox's orders into the inbox (sync result: "${await text('orders-sync-result')}"; see target/e2e/insights-sync-failure.png)`);
      });

    await click('nav-insights');
    await waitForAllChannels('After a sync');
    await browser.waitUntil(async () => (await count('chart-net-by-channel')) > 0, {
      timeout: UI_TIMEOUT_MS,
      timeoutMsg: 'With orders, the comparison draws net contribution per channel',
    });

    // Every demo channel has orders, and its bar in the contribution chart is drawn.
    const orders = await browser.execute(() => {
      const table = document.querySelector('[data-testid="insights-comparison"] table.compare');
      const cells = [...(table?.querySelectorAll('tbody tr')[0]?.querySelectorAll('td') ?? [])];
      return cells.map((c) => Number(c.innerText.replace(/\D/g, '')));
    });
    assert.equal(orders.length, DEMO_CHANNELS.length, `One orders figure per channel: ${JSON.stringify(orders)}`);
    assert.ok(orders.every((n) => n > 0), `Every demo channel has orders after the sync: ${JSON.stringify(orders)}`);
    const bars = await browser.execute(
      () => [...document.querySelectorAll('[data-testid="chart-net-by-channel"] .fill')].filter((b) => b.getBoundingClientRect().width > 0).length,
    );
    assert.equal(bars, DEMO_CHANNELS.length, 'The contribution chart draws a bar for every channel');

    // The time charts are drawn by uPlot on a canvas, with a line per channel in the legend.
    for (const chart of ['chart-net-per-month', 'chart-fees-per-month']) {
      const drawn = await browser.execute(
        (sel) => {
          const el = document.querySelector(sel);
          const canvas = el?.querySelector('canvas');
          return { canvas: !!canvas && canvas.width > 0 && canvas.height > 0, series: el?.querySelectorAll('.u-legend .u-series').length ?? 0 };
        },
        byTestId(chart),
      );
      assert.ok(drawn.canvas, `${chart} draws a chart`);
      assert.equal(drawn.series, DEMO_CHANNELS.length, `${chart} has a line per demo channel in its legend`);
    }

    // Overlap: people per channel, from the synced orders' customers.
    const reach = await browser.execute(
      () => document.querySelectorAll('[data-testid="chart-reach"] li').length,
    );
    assert.equal(reach, DEMO_CHANNELS.length, 'Customers per channel lists every demo channel');
    const privacy = await text('insights-privacy');
    assert.match(privacy, /bol\.com/, 'The overlap section notes that bol.com restricts profiling its customers');

    // Reviews: the demo imports a portal export of reviews per channel; tone per month is drawn
    // per channel, and bol.com's courier complaints show as a platform-only complaint.
    const tone = await browser.execute(
      (sel) => {
        const el = document.querySelector(sel);
        const canvas = el?.querySelector('canvas');
        return { canvas: !!canvas && canvas.width > 0, series: el?.querySelectorAll('.u-legend .u-series').length ?? 0 };
      },
      byTestId('chart-sentiment-per-month'),
    );
    assert.ok(tone.canvas, 'Review tone per month is drawn');
    assert.equal(tone.series, DEMO_CHANNELS.length, 'Review tone has a line per demo channel in its legend');
    const complaints = await text('chart-platform-complaints');
    assert.match(complaints, /bol\.com \(sandbox\)\S*: bezorging/, `Delivery shows as a complaint on bol.com that webshop customers don't have: "${complaints}"`);

    await screenshot('insights-after-sync');

    // The numbers behind a chart are one click away.
    await browser.execute((sel) => document.querySelector(sel)?.scrollIntoView(), byTestId('chart-net-by-channel'));
    const toggle = await browser.$(`${byTestId('chart-net-by-channel')} ${byTestId('chart-toggle')}`);
    await toggle.click();
    const rows = await browser.execute(
      () => [...document.querySelectorAll('[data-testid="chart-net-by-channel"] tbody tr')].map((r) => r.innerText),
    );
    assert.equal(rows.length, DEMO_CHANNELS.length, `The table behind the chart has a row per channel: ${JSON.stringify(rows)}`);
    assert.ok(rows.every((r) => /€/.test(r)), `Its rows show amounts in euros: ${JSON.stringify(rows)}`);
    await screenshot('insights-numbers');
  });

  it('has recognised the same people across channels after the sync, and shows each section for a look', { timeout: 120_000 }, async () => {
    const section = async (id, name) => {
      await browser.execute((sel) => document.querySelector(sel)?.scrollIntoView(), byTestId(id));
      await screenshot(name);
    };
    await section('insights-fees', 'insights-fees');
    await section('insights-sentiment', 'insights-sentiment');

    // "Sync now" recognises the same people across channels by itself: after the sync nothing
    // is left unmatched, without a click.
    await browser
      .waitUntil(async () => (await count('insights-unmatched')) === 0 && (await count('insights-match')) > 0, {
        timeout: 20_000,
        interval: 300,
      })
      .catch(async () => {
        await screenshot('insights-failure').catch(() => {});
        assert.fail(`After Sync now every synced customer is matched to a person (page says "${await text('insights-overlap')}"; target/e2e/insights-failure.png)`);
      });
    // Recognising again (the button stays, for after an erasure or new data) says how many
    // people the records are.
    await click('insights-match');
    await browser.waitUntil(async () => (await count('insights-matched')) > 0, {
      timeout: 60_000,
      interval: 300,
      timeoutMsg: 'Recognising again reports its result',
    });
    const matched = await text('insights-matched');
    assert.match(matched, /klantgegevens horen bij .* mensen/, `The page says how many people the records are: "${matched}"`);
    const reach = await browser.execute(
      () => document.querySelectorAll('[data-testid="chart-reach"] li').length,
    );
    assert.equal(reach, DEMO_CHANNELS.length, 'Customers per channel still lists every demo channel after matching');
    await section('insights-overlap', 'insights-overlap');

    // The comparison now counts people: those who also buy on the other channel are not unique.
    const people = await browser.execute(() => {
      const rows = [...document.querySelectorAll('[data-testid="insights-comparison"] table.compare tbody tr')];
      const numbers = (tr) => [...tr.querySelectorAll('td')].map((c) => Number(c.innerText.replace(/\D/g, '')));
      return { customers: numbers(rows[rows.length - 2]), unique: numbers(rows[rows.length - 1]) };
    });
    assert.ok(
      people.unique.every((u, i) => u <= people.customers[i]) && people.unique.some((u, i) => u < people.customers[i]),
      `After recognising customers, people who buy on both demo channels are not counted as unique: ${JSON.stringify(people)}`,
    );
    await browser.execute((sel) => document.querySelector(sel)?.scrollIntoView(), byTestId('page-title'));
    await screenshot('insights-comparison');
  });

  /** The comparison's figures of one metric row (by its row header), as shown. */
  const comparisonRow = (label) =>
    browser.execute((label) => {
      const rows = [...document.querySelectorAll('[data-testid="insights-comparison"] table.compare tbody tr')];
      const row = rows.find((r) => r.querySelector('th')?.innerText.trim() === label);
      return [...(row?.querySelectorAll('td') ?? [])].map((c) => c.innerText.trim());
    }, label);

  it('edits bol.com\'s fee schedule as a new version: the form checks as you type, and the expected fees follow', { timeout: 120_000 }, async () => {
    const bol = `${byTestId('sched-channel')}[data-channel="bol"]`;
    await browser.execute((sel) => document.querySelector(sel)?.scrollIntoView(), bol);
    const rules = await browser.execute((sel) => document.querySelector(`${sel} [data-testid="sched-rules"]`)?.innerText ?? '', bol);
    assert.match(rules, /Commissie voor alle producten: 15% \+ € 1,00 per stuk, van de prijs incl\. btw/, `bol's current commission in plain Dutch words: "${rules}"`);
    // The modelled fees of the orders bol reported a fee for, before the change.
    const expectedTotal = () =>
      browser.execute(() => {
        const rows = [...document.querySelectorAll('[data-testid="fee-order-row"]')];
        return rows.map((r) => r.querySelectorAll('td')[3]?.innerText ?? '').join('|');
      });
    await click('fee-orders-toggle');
    await browser.waitUntil(async () => (await count('fee-order-row')) > 0, { timeout: UI_TIMEOUT_MS, timeoutMsg: 'Per order, expected and charged fees are listed' });
    const before = await expectedTotal();
    await screenshot('insights-fee-orders');

    await (await browser.$(`${bol} ${byTestId('sched-new')}`)).click();
    const percent = await browser.$(`${bol} ${byTestId('sched-percent')}`);
    // A typo is named at once, in Dutch, and saving is blocked.
    await percent.setValue('150');
    await browser.waitUntil(async () => (await count('sched-error')) > 0, { timeout: UI_TIMEOUT_MS, timeoutMsg: 'A percentage of 150 is refused as you type' });
    const err = await text('sched-error');
    assert.match(err, /percentage ligt van 0 tot onder 100/, `The error says what is wrong in plain Dutch: "${err}"`);
    assert.equal(await (await browser.$(byTestId('sched-save'))).isEnabled(), false, 'Saving waits until the form is right');
    // The version applies from the current one's first day, so every demo order gets it.
    await browser.execute((sel) => {
      const input = document.querySelector(sel);
      const min = input.getAttribute('min');
      input.value = min;
      input.dispatchEvent(new Event('input', { bubbles: true }));
    }, `${bol} ${byTestId('sched-from')}`);
    await percent.setValue('8,5');
    await browser.waitUntil(async () => (await count('sched-error')) === 0, { timeout: UI_TIMEOUT_MS, timeoutMsg: '8,5 (decimal comma) is accepted' });
    await screenshot('insights-fee-schedule-editor');
    await click('sched-save');
    await browser.waitUntil(async () => (await count('sched-saved')) > 0, { timeout: UI_TIMEOUT_MS, timeoutMsg: 'The new version is saved' });
    const current = await browser.execute((sel) => document.querySelector(`${sel} [data-testid="sched-current"]`)?.innerText ?? '', bol);
    assert.match(current, /Versie 2/, `bol's current schedule is version 2: "${current}"`);
    const history = await browser.execute((sel) => document.querySelector(`${sel} [data-testid="sched-history"]`)?.textContent ?? '', bol);
    assert.match(history, /Versie 1/, 'The old version stays listed');

    let after = before;
    await browser
      .waitUntil(async () => {
        after = await expectedTotal();
        return after !== before && after.length > 0;
      }, { timeout: UI_TIMEOUT_MS, interval: 250 })
      .catch(() => assert.fail(`The expected fees per order follow the new commission: before ${before}, after ${after}`));
    await browser.execute((sel) => document.querySelector(sel)?.scrollIntoView(), byTestId('insights-schedules'));
    await screenshot('insights-fee-schedules');
  });

  it('the KOR switch in Settings makes VAT on fees a cost: fees up, net contribution down', { timeout: 90_000 }, async () => {
    await browser.execute((sel) => document.querySelector(sel)?.scrollIntoView(), byTestId('page-title'));
    const fees = await comparisonRow('Kosten van het kanaal');
    const net = await comparisonRow('Netto bijdrage');
    assert.ok(fees.length > 0 && net.length > 0, `The comparison has fee and contribution rows: ${JSON.stringify({ fees, net })}`);
    await click('nav-settings');
    const explain = await text('kor-explain');
    assert.match(explain, /btw/, `The switch is explained in one plain sentence: "${explain}"`);
    await click('kor-switch');
    await browser.waitUntil(async () => (await browser.$(byTestId('kor-switch'))).isSelected(), { timeout: UI_TIMEOUT_MS, timeoutMsg: 'The KOR switch is on' });
    await screenshot('settings-kor');
    await click('nav-insights');
    let feesAfter = fees;
    let netAfter = net;
    await browser
      .waitUntil(async () => {
        feesAfter = await comparisonRow('Kosten van het kanaal');
        netAfter = await comparisonRow('Netto bijdrage');
        return JSON.stringify(feesAfter) !== JSON.stringify(fees) && JSON.stringify(netAfter) !== JSON.stringify(net);
      }, { timeout: 20_000, interval: 300 })
      .catch(() => assert.fail(`Under the KOR the comparison's fees and net contribution change: fees ${JSON.stringify(fees)} → ${JSON.stringify(feesAfter)}, net ${JSON.stringify(net)} → ${JSON.stringify(netAfter)}`));
    const euros = (s) => Number(s.replace(/[^\d,-]/g, '').replace(',', '.'));
    feesAfter.forEach((f, i) => assert.ok(euros(f) >= euros(fees[i]), `Fees do not go down under the KOR: ${fees[i]} → ${f}`));
    netAfter.forEach((n, i) => assert.ok(euros(n) <= euros(net[i]), `Net contribution does not go up under the KOR: ${net[i]} → ${n}`));
    assert.ok(await count('insights-kor-note') > 0, 'The fee section says the KOR is on');
    // Back off, for the tests after this one.
    await click('nav-settings');
    await click('kor-switch');
    await click('nav-insights');
    await waitForAllChannels('After switching the KOR off');
  });

  it('answers a what-if with before/after bars, and shows break-even prices', { timeout: 90_000 }, async () => {
    await browser.execute((sel) => document.querySelector(sel)?.scrollIntoView(), byTestId('insights-prices'));
    const be = await browser.execute(() => document.querySelectorAll('[data-testid="break-even-table"] tbody tr').length);
    assert.ok(be > 0, 'Break-even prices are listed per product sold on bol.com');
    await click('what-if-compute');
    await browser.waitUntil(async () => (await count('what-if-result')) > 0, { timeout: 20_000, timeoutMsg: 'The what-if answers' });
    const answer = await text('what-if-result');
    assert.match(answer, /Netto bijdrage per maand: [+-]€/, `The answer is a change per month in euros: "${answer}"`);
    const bars = await browser.execute(() => document.querySelectorAll('[data-testid="chart-what-if"] .bars li').length);
    assert.ok(bars >= 4, `Before and after bars per channel: ${bars}`);
    // Scrolling deep into the page moves the page, never the window: the top bar stays in view.
    const windowScroll = await browser.execute(() => document.documentElement.scrollTop);
    assert.equal(windowScroll, 0, 'The window itself scrolled (something inside a page overflows it); the top bar went out of view');
    await screenshot('insights-what-if');
  });

  it('prints the one-page comparison only', { timeout: 60_000 }, async () => {
    // The print stylesheet hides everything but the comparison. WebKitWebDriver cannot switch
    // to print media, so the print rules are applied as screen rules for a screenshot.
    const shown = await browser.execute(() => {
      const copies = [];
      for (const sheet of document.styleSheets) {
        let rules;
        try { rules = sheet.cssRules; } catch { continue; }
        for (const r of rules) if (r instanceof CSSMediaRule && r.media.mediaText.includes('print')) copies.push(r.cssRules);
      }
      const style = document.createElement('style');
      style.id = 'as-print';
      style.textContent = copies.flatMap((rs) => [...rs].map((r) => r.cssText)).join('\n');
      // The merchant prints from wherever the page was scrolled to: the bottom, here.
      const main = document.querySelector('main');
      main.scrollTop = main.scrollHeight;
      document.head.appendChild(style);
      window.scrollTo(0, 0);
      const visible = (sel) => [...document.querySelectorAll(sel)].some((e) => getComputedStyle(e).visibility === 'visible' && e.getBoundingClientRect().height > 0);
      const table = document.querySelector('[data-testid="insights-comparison"] table.compare')?.getBoundingClientRect();
      return {
        onPage: table ? { top: Math.round(table.top), bottom: Math.round(table.bottom), pageHeight: window.innerHeight, scrolled: main.scrollTop } : null,
        rules: copies.length,
        comparison: visible('[data-testid="insights-comparison"] table.compare'),
        fees: visible('[data-testid="insights-fees"] h2'),
        nav: visible('[data-testid="nav-insights"]'),
        schedules: visible('[data-testid="insights-schedules"] h2'),
      };
    });
    await screenshot('insights-print');
    await browser.execute(() => document.getElementById('as-print')?.remove());
    assert.ok(shown.rules > 0, 'The page has print rules');
    assert.deepEqual(
      { comparison: shown.comparison, fees: shown.fees, nav: shown.nav, schedules: shown.schedules },
      { comparison: true, fees: false, nav: false, schedules: false },
      'In print only the comparison shows',
    );
    assert.ok(
      shown.onPage && shown.onPage.scrolled > 0 && shown.onPage.top >= 0 && shown.onPage.bottom <= shown.onPage.pageHeight,
      `Printed from a page scrolled to its end, the comparison is on the printed page, from its top: ${JSON.stringify(shown.onPage)} (target/e2e/insights-print.png)`,
    );
  });

  it('narrows the comparison to the chosen period', { timeout: 60_000 }, async () => {
    const ordersRow = () =>
      browser.execute(() => {
        const row = document.querySelector('[data-testid="insights-comparison"] table.compare tbody tr');
        return [...(row?.querySelectorAll('td') ?? [])].map((c) => Number(c.innerText.replace(/\D/g, '')));
      });
    const allTime = await ordersRow();
    const period = await browser.$(byTestId('insights-period'));
    await period.selectByAttribute('value', '30d');
    let last = allTime;
    await browser
      .waitUntil(async () => {
        last = await ordersRow();
        return last.length === allTime.length && last.some((n, i) => n < allTime[i]);
      }, { timeout: UI_TIMEOUT_MS, interval: 250 })
      .catch(() =>
        assert.fail(`The last 30 days hold fewer orders than all time (the demo's orders span months): all time ${JSON.stringify(allTime)}, 30 days ${JSON.stringify(last)}`),
      );
    assert.ok(last.every((n, i) => n <= allTime[i]), `No channel has more orders in 30 days than in all time: ${JSON.stringify(last)} vs ${JSON.stringify(allTime)}`);
    await period.selectByAttribute('value', 'all');
  });
});
