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
