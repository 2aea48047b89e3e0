'use strict';
// Runs `main(page, requests)` in headless Chromium, offline, for the report scripts (drill-html.js,
// report-html.js): a persistent context in a fresh profile, every request but file:// aborted and
// listed in `requests`, then one line "RESULT <json>" with what main returned, or "FAILED: ..." and
// exit status 1.
//
// env: DRCTL_PLAYWRIGHT_CORE  path of npm's playwright-core (it never downloads a browser)
//      DRCTL_CHROMIUM         Debian's Chromium, default /usr/bin/chromium

const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require(process.env.DRCTL_PLAYWRIGHT_CORE || 'playwright-core');

async function runOffline(name, screenshotDir, main) {
  fs.mkdirSync(screenshotDir, { recursive: true });
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), `drctl-${name}-chromium-`));
  let context;
  let failed = false;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: process.env.DRCTL_CHROMIUM || '/usr/bin/chromium',
      headless: true,
      offline: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
      viewport: { width: 1400, height: 1000 },
    });
    const requests = [];
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file://')) return route.continue();
      requests.push(url);
      return route.abort();
    });
    const page = context.pages()[0] || await context.newPage();
    console.log(`RESULT ${JSON.stringify(await main(page, requests))}`);
  } catch (error) {
    failed = true;
    console.error(`FAILED: ${error.message}`);
  } finally {
    if (context) await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  process.exit(failed ? 1 : 0);
}

module.exports = { runOffline };
