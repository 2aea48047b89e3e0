'use strict';
// Opens a `drctl drill --report DIR` drill.html in headless Chromium, offline, and reads its DOM:
// the SLA table's rows, and for each incident's section its timeline's bars (one per step that
// started, with status and position), plus every request the page tried to make (none).
//
// usage: node drill-html.js '<json config>'   (DrillIT builds the config: file, screenshotDir)
// env:   DRCTL_PLAYWRIGHT_CORE  path of npm's playwright-core (it never downloads a browser)
//        DRCTL_CHROMIUM         Debian's Chromium, default /usr/bin/chromium
//
// Writes drill.png into config.screenshotDir. Prints one line "RESULT <json>" with what it saw.

const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require(process.env.DRCTL_PLAYWRIGHT_CORE || 'playwright-core');

const config = JSON.parse(process.argv[2]);

async function main(page, requests) {
  await page.goto('file://' + path.resolve(config.file), { waitUntil: 'load' });
  await page.screenshot({ path: path.join(config.screenshotDir, 'drill.png'), fullPage: true });
  const sla = await page.$$eval('#sla tr[data-scenario]', (rows) => rows.map((row) => ({
    scenario: row.dataset.scenario,
    status: row.dataset.status,
    cells: Array.from(row.querySelectorAll('td')).map((cell) => cell.textContent),
  })));
  const incidents = await page.$$eval('section.incident', (sections) => sections.map((section) => {
    const track = section.querySelector('.timeline .track');
    const trackBox = track && track.getBoundingClientRect();
    return {
      incident: section.dataset.incident,
      h1: section.querySelector('h1').textContent,
      trackWidth: trackBox ? trackBox.width : 0,
      bars: Array.from(section.querySelectorAll('.timeline .bar')).map((bar) => {
        const box = bar.getBoundingClientRect();
        return { step: bar.dataset.step, status: bar.dataset.status, left: box.left, width: box.width };
      }),
    };
  }));
  return { title: await page.title(), sla, incidents, requests };
}

(async () => {
  fs.mkdirSync(config.screenshotDir, { recursive: true });
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'drctl-drill-chromium-'));
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
})();
