// Shared support for the end-to-end tests of the Kanaal desktop app (every *.test.mjs here), driven like a person would: through tauri-driver
// (the WebDriver intermediary of Tauri), which starts WebKitWebDriver, which starts the real
// debug binary target/debug/kanaal-app. Each describe block gets a session of its own
// (startSession) on a fresh, empty data folder: one with --demo, one without, which loads the
// demo shop from the welcome panel.
//
// Run with `make e2e` (builds the UI and the app, then runs this under Xvfb and a D-Bus session
// with an unlocked keyring), or by hand:
//   xvfb-run -a -s '-screen 0 1280x800x24' node --test tests/e2e/
//
// Environment (all optional):
//   KANAAL_E2E_APP     the app binary (default <repo>/target/debug/kanaal-app)
//   KANAAL_E2E_CLI     the CLI binary, for the standalone sandbox (default <repo>/target/debug/kanaal)
//   TAURI_DRIVER       the tauri-driver binary (default ~/.cargo/bin/tauri-driver, else PATH)
//   KANAAL_E2E_KEEP    set to 1 to keep the temporary data folder (its path is printed)
//
// Screenshots for people to look at go to <repo>/target/e2e/*.png, with the drivers' and app's
// output in target/e2e/driver.log.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { remote } from 'webdriverio';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const APP = process.env.KANAAL_E2E_APP || path.join(REPO, 'target', 'debug', 'kanaal-app');
export const CLI = process.env.KANAAL_E2E_CLI || path.join(REPO, 'target', 'debug', 'kanaal');
export const OUT = path.join(REPO, 'target', 'e2e');
const DRIVER_LOG = path.join(OUT, 'driver.log');

// What the demo shop and the two languages show. Change here if the product changes.
export const MIN_DEMO_PRODUCTS = 60;
// The grid is virtualised: only the rows in view (and a margin) are in the page.
export const MIN_VISIBLE_ROWS = 8;
export const DUTCH_CATALOG = 'Catalogus';
export const ENGLISH_CATALOG = 'Catalog';
export const PAGES = ['catalog', 'publish', 'orders', 'insights', 'channels', 'settings'];

export const STARTUP_TIMEOUT_MS = 20_000;
export const CATALOG_TIMEOUT_MS = 30_000;
export const UI_TIMEOUT_MS = 10_000;

export const byTestId = (id) => `[data-testid="${id}"]`;

function findTauriDriver() {
  if (process.env.TAURI_DRIVER) return process.env.TAURI_DRIVER;
  const cargoHome = process.env.CARGO_HOME || path.join(os.homedir(), '.cargo');
  const inCargo = path.join(cargoHome, 'bin', 'tauri-driver');
  return fs.existsSync(inCargo) ? inCargo : 'tauri-driver';
}

/** A TCP port that nothing listens on right now (the OS picks it). */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function portAnswers(port) {
  return new Promise((resolve) => {
    const sock = net.connect({ host: '127.0.0.1', port });
    sock.once('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('error', () => resolve(false));
  });
}

function logTail(lines = 40) {
  try {
    const text = fs.readFileSync(DRIVER_LOG, 'utf8').trimEnd();
    return text ? text.split('\n').slice(-lines).join('\n') : '(empty)';
  } catch {
    return '(no log)';
  }
}

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// --- sessions: tauri-driver + the app on a fresh data folder + a WebDriver session -------------

// The process groups of the tauri-driver instances still running; cleanup empties it.
const liveDriverGroups = new Set();

/** Signals a tauri-driver's whole process group: WebKitWebDriver and the app are in it. */
function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

// Ctrl-C, or the runner ending this process: leave no driver or app behind.
process.once('exit', () => liveDriverGroups.forEach((pid) => signalGroup(pid, 'SIGKILL')));
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, () => {
    liveDriverGroups.forEach((pid) => signalGroup(pid, 'SIGKILL'));
    process.exit(130);
  });
}

// All sessions of one run write to driver.log: the first empties it, the others append.
let driverLogStarted = false;

/**
 * Starts tauri-driver, and through it the app with `args` on a fresh, empty data folder (Dutch
 * locale, own XDG folders), and opens a WebDriver session on its window. Returns the session
 * and `stop()`, which ends the session, tauri-driver's whole process group and removes the data
 * folder; it is safe to call more than once. If starting fails halfway, whatever was started is
 * stopped before the error is thrown.
 */
export async function startSession({ args = [] } = {}) {
  fs.mkdirSync(OUT, { recursive: true });
  assert.ok(
    fs.existsSync(APP),
    `The app binary ${APP} is missing: build it first (cargo build -p kanaal-app; make e2e does this)`,
  );
  assert.ok(
    process.env.DISPLAY || process.env.WAYLAND_DISPLAY,
    'No display: run the e2e tests under Xvfb (make e2e does, with xvfb-run)',
  );

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kanaal-e2e-'));
  let driver; // the tauri-driver child process, leader of its own process group
  let driverExited; // resolves when it exits
  let browser;
  let stopped = false;

  async function stop() {
    if (stopped) return;
    stopped = true;
    if (browser) {
      await withTimeout(browser.deleteSession(), 15_000, 'deleteSession').catch((err) =>
        console.error(`e2e cleanup: ${err.message}`),
      );
    }
    if (driver?.pid !== undefined) {
      if (driver.exitCode === null && driver.signalCode === null) {
        // tauri-driver ends WebKitWebDriver on SIGTERM; the app gets it too through the group.
        signalGroup(driver.pid, 'SIGTERM');
        await Promise.race([driverExited, sleep(5_000)]);
      }
      // Whatever is left of the group (an app that ignored SIGTERM, a web process) goes now.
      signalGroup(driver.pid, 'SIGKILL');
      liveDriverGroups.delete(driver.pid);
    }
    if (process.env.KANAAL_E2E_KEEP === '1') {
      console.error(`e2e: kept the data folder ${dataDir}`);
    } else {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
    console.error(`e2e: screenshots and driver.log in ${OUT}`);
  }

  try {
    const home = path.join(dataDir, 'xdg');
    const data = path.join(dataDir, 'data');
    for (const d of ['config', 'data', 'cache'].map((x) => path.join(home, x)).concat(data)) {
      fs.mkdirSync(d, { recursive: true });
    }

    const port = await freePort();
    let nativePort = await freePort();
    while (nativePort === port) nativePort = await freePort();

    const locpath = dutchLocale();
    const env = {
      ...process.env,
      // A Dutch system: the app's first language follows the OS (navigator.language), and a
      // fresh install on a Dutch system speaks Dutch. The locale is compiled into target/e2e,
      // so the machine's own locale settings are left alone.
      LOCPATH: locpath,
      LANG: 'nl_NL.UTF-8',
      LC_ALL: 'nl_NL.UTF-8',
      LANGUAGE: 'nl',
      // The app opens on this folder: a fresh install every session.
      KANAAL_DATA_DIR: data,
      // The webview's own storage (localStorage, caches) is fresh too.
      XDG_CONFIG_HOME: path.join(home, 'config'),
      XDG_DATA_HOME: path.join(home, 'data'),
      XDG_CACHE_HOME: path.join(home, 'cache'),
      // Xvfb is an X server; there is no GPU, so Mesa renders in software anyway.
      GDK_BACKEND: 'x11',
      LIBGL_ALWAYS_SOFTWARE: '1',
    };
    // With WebKitGTK 2.50 under Xvfb either of these makes WebDriver screenshots hang once the
    // page has changed (seen here); the window renders fine without them.
    delete env.WEBKIT_DISABLE_COMPOSITING_MODE;
    delete env.WEBKIT_DISABLE_DMABUF_RENDERER;

    const logFd = fs.openSync(DRIVER_LOG, driverLogStarted ? 'a' : 'w');
    driverLogStarted = true;
    fs.writeSync(logFd, `=== e2e session: ${APP} ${args.join(' ')} (data ${data})\n`);
    const bin = findTauriDriver();
    driver = spawn(bin, ['--port', String(port), '--native-port', String(nativePort)], {
      // Its own process group, so cleanup reaches WebKitWebDriver and the app as well.
      detached: true,
      stdio: ['ignore', logFd, logFd],
      env,
    });
    fs.closeSync(logFd);
    if (driver.pid !== undefined) liveDriverGroups.add(driver.pid);
    let spawnError;
    driverExited = new Promise((resolve) => {
      driver.once('exit', resolve);
      driver.once('error', (err) => {
        spawnError = err;
        resolve();
      });
    });

    const deadline = Date.now() + STARTUP_TIMEOUT_MS;
    for (;;) {
      if (spawnError) {
        assert.fail(
          `tauri-driver could not be started (${bin}: ${spawnError.message}); ` +
            `install it with scripts/setup.sh test`,
        );
      }
      if (driver.exitCode !== null || driver.signalCode !== null) {
        assert.fail(
          `tauri-driver exited early (code ${driver.exitCode}, signal ${driver.signalCode}); ` +
            `its log:\n${logTail()}`,
        );
      }
      if ((await portAnswers(port)) && (await portAnswers(nativePort))) break;
      if (Date.now() > deadline) {
        assert.fail(
          `tauri-driver and WebKitWebDriver did not answer on ports ${port}/${nativePort} ` +
            `within ${STARTUP_TIMEOUT_MS} ms; log:\n${logTail()}`,
        );
      }
      await sleep(100);
    }

    try {
      browser = await remote({
        hostname: '127.0.0.1',
        port,
        logLevel: 'warn',
        connectionRetryCount: 0,
        // One WebDriver request (a screenshot, a click) never takes this long unless stuck.
        connectionRetryTimeout: 30_000,
        waitforTimeout: UI_TIMEOUT_MS,
        capabilities: {
          // WebKitWebDriver speaks WebDriver classic only; don't ask for BiDi.
          'wdio:enforceWebDriverClassic': true,
          'tauri:options': { application: APP, args },
        },
      });
    } catch (err) {
      assert.fail(
        `The app could not be started through tauri-driver: ${err.message}\nlog:\n${logTail()}`,
      );
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { browser, stop, dataDir: path.join(dataDir, "data") };
}

/**
 * Helpers that read and drive the window of one session. `failureShot` names the screenshot that
 * waitFor saves when what it waits for does not come.
 */
export function pageHelpers(browser, { failureShot = 'failure' } = {}) {
  const helpers = {
    /** The visible text of an element, '' if it is not there. One round trip, so never stale. */
    async text(id) {
      const value = await browser.execute(
        (sel) => document.querySelector(sel)?.innerText ?? '',
        byTestId(id),
      );
      return String(value).trim();
    },

    async click(id) {
      const el = await browser.$(byTestId(id));
      await el.waitForClickable({
        timeout: UI_TIMEOUT_MS,
        timeoutMsg: `The element ${byTestId(id)} is visible and can be clicked`,
      });
      await el.click();
    },

    /** How many elements with this test id the page has now. */
    async count(id) {
      return browser.execute((sel) => document.querySelectorAll(sel).length, byTestId(id));
    },

    async screenshot(name) {
      // WebKit's WebDriver screenshot shows the last painted frame, which can lag the DOM that
      // was just asserted on: let two frames render first.
      await browser.executeAsync((done) =>
        requestAnimationFrame(() => requestAnimationFrame(done)),
      );
      await browser.saveScreenshot(path.join(OUT, `${name}.png`));
    },

    /** innerText of every element with this test id. */
    async texts(id) {
      return browser.execute(
        (sel) => [...document.querySelectorAll(sel)].map((e) => e.innerText.trim()),
        byTestId(id),
      );
    },

    /** Waits until `check` holds; else saves a screenshot and fails saying `what` was expected. */
    async waitFor(what, check, timeout = UI_TIMEOUT_MS, shot = failureShot) {
      await browser.waitUntil(check, { timeout, interval: 300 }).catch(async () => {
        await helpers.screenshot(shot).catch(() => {});
        assert.fail(`${what} (see target/e2e/${shot}.png)`);
      });
    },
  };
  return helpers;
}

/**
 * A directory holding the compiled nl_NL.UTF-8 locale, for LOCPATH (WebKit takes
 * navigator.language from the C library's locale, which must exist). Built once with localedef
 * from the Debian package locales; a failure says how to fix it.
 */
function dutchLocale() {
  const dir = path.join(OUT, 'locale');
  if (fs.existsSync(path.join(dir, 'nl_NL.UTF-8', 'LC_MESSAGES'))) return dir;
  fs.mkdirSync(dir, { recursive: true });
  const res = spawnSync('localedef', ['-i', 'nl_NL', '-f', 'UTF-8', path.join(dir, 'nl_NL.UTF-8')], {
    encoding: 'utf8',
  });
  // localedef exits 1 on mere warnings; the files are what count.
  assert.ok(
    fs.existsSync(path.join(dir, 'nl_NL.UTF-8', 'LC_MESSAGES')),
    `The e2e tests run the app on a Dutch system, but the nl_NL.UTF-8 locale could not be ` +
      `compiled (localedef: ${res.error?.message ?? res.stderr.trim()}); install the Debian ` +
      `package locales (scripts/setup.sh test does)`,
  );
  return dir;
}

/** The largest whole number in a text, reading "1.234" and "1,234" as thousands. */
export function largestNumber(str) {
  const groups = str.match(/\d{1,3}(?:[.,\u00a0\u202f ]\d{3})+|\d+/g) || [];
  return Math.max(-1, ...groups.map((g) => Number(g.replace(/\D/g, ''))));
}

/**
 * A web server on 127.0.0.1 serving `files` (name → PNG bytes; 404 for any other name), each
 * after `delayMs` like a server over the internet, noting every name asked for in `hits`. The
 * file named `held` is not answered until `release()`, so that the window can be looked at
 * while a download is under way (or kept busy).
 */
export function startPictureServer({ files, held = null, delayMs = 0 }) {
  const hits = [];
  let release;
  const gate = new Promise((resolve) => (release = resolve));
  const server = http.createServer(async (req, res) => {
    const name = decodeURIComponent(req.url.slice(1));
    hits.push(name);
    if (name === held) await gate;
    setTimeout(() => {
      const body = files[name];
      if (!body) {
        res.writeHead(404, { 'Content-Type': 'text/plain' });
        res.end('not found');
        return;
      }
      res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': body.length });
      res.end(body);
    }, delayMs);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({
        base: `http://127.0.0.1:${server.address().port}`,
        hits,
        release,
        close: () => {
          release();
          return new Promise((done) => server.close(done));
        },
      });
    });
  });
}

/**
 * Drops a CSV file with this text on the import panel's drop zone. WebDriver cannot drag a
 * file from outside the window, so the page gets the drop the operating system would deliver
 * (Tauri's own drop handling is off for this window).
 */
export async function dropCsv(browser, csv, name = 'shopify-export.csv') {
  await browser.execute(
    (sel, body, fileName) => {
      const target = document.querySelector(sel);
      const dt = new DataTransfer();
      dt.items.add(new File([body], fileName, { type: 'text/csv' }));
      for (const type of ['dragenter', 'dragover', 'drop']) {
        target.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
      }
    },
    byTestId('import-drop'),
    csv,
    name,
  );
}

/** On a fresh install: starts with an empty catalog and opens the import panel's drop zone. */
export async function openImportOnEmptyCatalog(browser, click) {
  await (await browser.$(byTestId('start-empty'))).waitForDisplayed({
    timeout: CATALOG_TIMEOUT_MS,
    timeoutMsg: 'A fresh install opens with the welcome panel',
  });
  await click('start-empty');
  await click('import-open');
  await (await browser.$(byTestId('import-drop'))).waitForDisplayed({
    timeout: UI_TIMEOUT_MS,
    timeoutMsg: 'Import opens a panel with a drop zone',
  });
}

/**
 * Starts the platform sandboxes standalone, as a merchant's own test set-up would
 * (`kanaal sandbox serve --seed SEED --format json`), and resolves `platforms` with what it
 * prints: per platform its base URL and the credentials it accepts. `stop()` ends it.
 */
export function startSandbox({ seed }) {
  assert.ok(fs.existsSync(CLI), `The CLI ${CLI} is missing: build it first (cargo build -p kanaal-cli; make e2e does this)`);
  const child = spawn(CLI, ['sandbox', 'serve', '--seed', String(seed), '--format', 'json'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const platforms = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the sandbox printed no addresses in 15 s: ${err}`)), 15_000);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      try {
        const parsed = JSON.parse(out);
        clearTimeout(timer);
        resolve(Object.fromEntries(parsed.map((p) => [p.platform, p])));
      } catch {
        // not the whole document yet
      }
    });
    child.stderr.on('data', (chunk) => (err += chunk));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the sandbox exited (code ${code}) before printing its addresses: ${err}`));
    });
  });
  return { platforms, stop: () => child.kill('SIGTERM') };
}

/**
 * Fills in and saves the Channels page's connect form for a platform of `kind` (the page must
 * be open): the merchant's `name` for it, the sandbox's `baseUrl` and `credentials`.
 */
export async function connectChannel(browser, click, { kind, name, baseUrl, credentials }) {
  await click(`channel-connect-${kind}`);
  const form = await browser.$(byTestId('channel-form'));
  await form.waitForDisplayed({ timeout: UI_TIMEOUT_MS, timeoutMsg: `Connect opens the form for ${kind}` });
  await (await browser.$(byTestId('channel-name'))).setValue(name);
  await (await browser.$(byTestId('channel-base-url'))).setValue(baseUrl);
  for (const [field, value] of Object.entries(credentials)) {
    await (await browser.$(byTestId(`channel-secret-${field}`))).setValue(value);
  }
  await click('channel-save');
}
