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

const path = require('path');
const { runOffline } = require('./offline-chromium.js');

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

runOffline('drill', config.screenshotDir, main);
