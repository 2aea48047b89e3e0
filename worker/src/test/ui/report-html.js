'use strict';
// Opens a `drctl report --format html` file in headless Chromium, offline, and reads its DOM: the
// timeline's bars (one per step that started, with its position and width), the operator actions
// table, and every request the page tried to make (a self-contained report makes none).
//
// usage: node report-html.js '<json config>'   (ReportCommandTest builds the config: file, screenshotDir)
// env:   DRCTL_PLAYWRIGHT_CORE  path of npm's playwright-core (it never downloads a browser)
//        DRCTL_CHROMIUM         Debian's Chromium, default /usr/bin/chromium
//
// Writes report.png into config.screenshotDir. Prints one line "RESULT <json>" with what it saw.

const path = require('path');
const { runOffline } = require('./offline-chromium.js');

const config = JSON.parse(process.argv[2]);

async function main(page, requests) {
  await page.goto('file://' + path.resolve(config.file), { waitUntil: 'load' });
  await page.screenshot({ path: path.join(config.screenshotDir, 'report.png'), fullPage: true });
  const track = await page.locator('#timeline .track').first().boundingBox();
  const bars = await page.$$eval('#timeline .bar', (nodes) => nodes.map((bar) => {
    const box = bar.getBoundingClientRect();
    return { step: bar.dataset.step, status: bar.dataset.status, left: box.left, width: box.width, title: bar.title };
  }));
  const actions = await page.$$eval('#operator-actions-table tr', (rows) => rows.slice(1)
    .map((row) => Array.from(row.querySelectorAll('td')).map((cell) => cell.textContent)));
  const headers = await page.$$eval('#operator-actions-table th', (cells) => cells.map((cell) => cell.textContent));
  return {
    title: await page.title(),
    h1: await page.locator('h1').innerText(),
    track: track && { left: track.x, width: track.width },
    bars,
    actionHeaders: headers,
    actions,
    backups: await page.locator('#backups-table').innerText(),
    requests,
  };
}

runOffline('report', config.screenshotDir, main);
