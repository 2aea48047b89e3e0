'use strict';
// Drives the Temporal Web UI (the one bundled with Temporal CLI v1.5.1, UI 2.42.1) through one
// drctl incident, as an operator would: start it from the Start Workflow form, watch its live
// progress, approve it through the signal dialog, find it in the workflow list.
//
// usage: node web-ui-incident.js '<json config>'   (TemporalWebUiTest builds the config)
// env:   DRCTL_PLAYWRIGHT_CORE  path of npm's playwright-core (it never downloads a browser)
//        DRCTL_CHROMIUM         Debian's Chromium, default /usr/bin/chromium
//
// Writes NN-stage.png and NN-stage.txt (the page's text) into config.screenshotDir, and
// failure.png/.txt when a stage fails. Prints one line "RESULT <json>" with what it saw.

const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require(process.env.DRCTL_PLAYWRIGHT_CORE || 'playwright-core');

const config = JSON.parse(process.argv[2]);
const UI_TIMEOUT = 30_000; // a page or control to appear
const WORKFLOW_TIMEOUT = 90_000; // the worker to move the incident on
const seen = {};
let shots = 0;
let stage = 'launch the browser';

function log(message) {
  console.log(`${new Date().toISOString()} ${message}`);
}

async function snapshot(page, name) {
  const base = path.join(config.screenshotDir, `${String(++shots).padStart(2, '0')}-${name}`);
  await page.screenshot({ path: `${base}.png`, fullPage: true });
  fs.writeFileSync(`${base}.txt`, await page.locator('body').innerText());
  log(`  screenshot ${base}.png`);
}

function workflowsUrl() {
  return `${config.uiUrl}/namespaces/${encodeURIComponent(config.namespace)}/workflows`;
}

/** Polls until check() passes; reloads the page every reloadMs in case the UI does not refresh itself. */
async function eventually(page, what, check, { timeout = WORKFLOW_TIMEOUT, reloadMs = 10_000 } = {}) {
  const deadline = Date.now() + timeout;
  let lastReload = Date.now();
  let last;
  for (;;) {
    try {
      if (await check()) return;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeout / 1000}s waiting for ${what}${last ? ` (last error: ${last.message})` : ''}`);
    }
    if (Date.now() - lastReload > reloadMs) {
      log(`  reloading the page, still waiting for ${what}`);
      await page.reload({ waitUntil: 'domcontentloaded' });
      lastReload = Date.now();
    }
    await page.waitForTimeout(500);
  }
}

/** Types JSON into one of the UI's CodeMirror editors (a contenteditable textbox, not an <input>). */
async function fillJson(scope, text) {
  const editor = scope.locator('[role="textbox"][data-language="json"]');
  await editor.fill(text);
  const typed = await editor.innerText();
  if (JSON.stringify(JSON.parse(typed)) !== JSON.stringify(JSON.parse(text))) {
    throw new Error(`the JSON editor holds ${typed}, not ${text}`);
  }
}

/** The workflow page's status badge, in its header (the page has other "Completed" badges). */
function workflowStatus(page, status) {
  return page.locator('main header').getByText(status, { exact: true });
}

/**
 * The text of a User Metadata section ("Summary", "Details", "Current Details"): the UI renders
 * each one's markdown in its own iframe, so take the innermost block holding that heading and an iframe.
 */
async function metadataSection(page, heading) {
  const section = page.locator('div')
    .filter({ has: page.getByRole('heading', { name: heading, exact: true }) })
    .filter({ has: page.locator('iframe') })
    .last();
  return section.frameLocator('iframe').first().locator('body').innerText({ timeout: 5_000 });
}

async function run(step, action) {
  stage = step;
  log(`stage: ${step}`);
  await action();
}

async function main(page) {
  await run('open the workflow list', async () => {
    await page.goto(workflowsUrl(), { waitUntil: 'domcontentloaded' });
    await page.getByRole('button', { name: 'Start Workflow' }).waitFor({ timeout: UI_TIMEOUT });
    await snapshot(page, 'workflow-list-before');
  });

  await run('fill the Start Workflow form', async () => {
    await page.getByRole('button', { name: 'Start Workflow' }).click();
    await page.getByRole('heading', { name: 'Start a Workflow' }).waitFor({ timeout: UI_TIMEOUT });
    await page.getByLabel('Workflow ID', { exact: true }).fill(config.workflowId);
    await page.getByLabel('Task Queue', { exact: true }).fill(config.taskQueue);
    await page.getByLabel('Workflow Type', { exact: true }).fill(config.workflowType);
    await fillJson(page.locator('main'), config.input);
    // The form looks the task queue up and sees the test's worker polling it.
    await page.getByText('Task Queue is Active').waitFor({ timeout: UI_TIMEOUT });
    await snapshot(page, 'start-form-filled');
  });

  await run('start the workflow from the form', async () => {
    await page.getByRole('button', { name: 'Start Workflow', exact: true }).click();
    await page.getByText('Workflow started successfully').waitFor({ timeout: UI_TIMEOUT });
    await snapshot(page, 'workflow-started');
  });

  await run('open the workflow page', async () => {
    await page.goto(`${workflowsUrl()}/${encodeURIComponent(config.workflowId)}`, { waitUntil: 'domcontentloaded' });
    await page.getByRole('heading', { name: config.workflowId }).waitFor({ timeout: UI_TIMEOUT });
    await workflowStatus(page, 'Running').waitFor({ timeout: UI_TIMEOUT });
    // The page redirects to .../workflows/<id>/<run id>/history: the run the form started.
    const parts = new URL(page.url()).pathname.split('/');
    seen.workflowId = decodeURIComponent(parts[parts.indexOf('workflows') + 1]);
    seen.runId = decodeURIComponent(parts[parts.indexOf('workflows') + 2]);
    // A step's title is its activity's summary, shown on the Activity Task Scheduled event.
    for (const title of config.activityTitlesBeforeApproval) {
      await eventually(page, `activity summary "${title}" in the event history`,
        () => page.getByText(title, { exact: true }).first().isVisible());
    }
    await snapshot(page, 'workflow-history-running');
  });

  await run('read the live progress in User Metadata', async () => {
    await page.getByRole('tab', { name: 'User Metadata' }).click();
    await page.getByRole('heading', { name: 'Current Details' }).waitFor({ timeout: UI_TIMEOUT });
    await eventually(page, `current details saying "${config.waitingText}"`, async () => {
      await page.getByRole('tab', { name: 'User Metadata' }).click();
      const text = await metadataSection(page, 'Current Details');
      seen.detailsWhileWaiting = text;
      return text.includes(config.waitingText) && config.stepTitles.every(t => text.includes(t))
        && text.includes('waiting-approval');
    });
    // "Events with Metadata" lists the activities by summary (the details iframe is not searched).
    for (const title of config.activityTitlesBeforeApproval) {
      await page.getByText(title, { exact: true }).first().waitFor({ timeout: UI_TIMEOUT });
    }
    await snapshot(page, 'current-details-waiting');
  });

  await run('approve through the signal dialog', async () => {
    await page.getByRole('button', { name: 'More Actions' }).click();
    await page.getByRole('menuitem', { name: 'Send a Signal' }).click();
    const dialog = page.getByRole('dialog', { name: 'Send a Signal' });
    await dialog.waitFor({ timeout: UI_TIMEOUT });
    // The incident's signal handler is dynamic, so the UI lists no names: choose "Custom" and type one.
    await dialog.getByTestId('signal-select-button').click();
    await dialog.getByRole('option', { name: /Custom/ }).click();
    await dialog.getByLabel('Signal name').fill(config.signalName);
    await fillJson(dialog, config.signalInput);
    await snapshot(page, 'signal-dialog-filled');
    await dialog.getByRole('button', { name: 'Submit' }).click();
    await dialog.waitFor({ state: 'hidden', timeout: UI_TIMEOUT });
  });

  await run('wait for the workflow to complete', async () => {
    // The badge and the details do not always refresh themselves on completion: eventually() reloads.
    await eventually(page, 'the status badge "Completed"', () => workflowStatus(page, 'Completed').isVisible(),
      { reloadMs: 3_000 });
    await eventually(page, 'current details saying "succeeded" for every step', async () => {
      await page.getByRole('tab', { name: 'User Metadata' }).click();
      const text = await metadataSection(page, 'Current Details');
      seen.detailsWhenDone = text;
      return text.includes(`${config.title} — succeeded`) && config.stepTitles.every(t => text.includes(t))
        && !text.includes('pending');
    }, { timeout: UI_TIMEOUT, reloadMs: 3_000 });
    for (const title of config.activityTitlesAfterApproval) {
      await page.getByText(title, { exact: true }).first().waitFor({ timeout: UI_TIMEOUT });
    }
    await snapshot(page, 'workflow-completed-details');
    await page.getByRole('tab', { name: /^History/ }).click();
    await page.getByText(config.activityTitlesAfterApproval[0], { exact: true }).first().waitFor({ timeout: UI_TIMEOUT });
    await snapshot(page, 'workflow-completed-history');
  });

  await run('find the incidents in the workflow list', async () => {
    await page.getByRole('link', { name: 'Back to Workflows' }).click();
    await page.getByRole('button', { name: 'Start Workflow' }).waitFor({ timeout: UI_TIMEOUT });
    const row = id => page.getByRole('row').filter({ hasText: id });
    await eventually(page, `a Completed ${config.workflowType} row for ${config.workflowId}`, async () => {
      seen.listRow = await row(config.workflowId).innerText({ timeout: 2_000 });
      seen.summaryListRow = await row(config.summaryWorkflowId).innerText({ timeout: 2_000 });
      return seen.listRow.includes('Completed') && seen.listRow.includes(config.workflowType)
        && seen.summaryListRow.includes(config.workflowType);
    }, { timeout: UI_TIMEOUT, reloadMs: 5_000 });
    await snapshot(page, 'workflow-list-after');
  });

  await run('filter the list by the IncidentType search attribute', async () => {
    const query = `IncidentType="${config.workflowType}"`;
    await page.goto(`${workflowsUrl()}?query=${encodeURIComponent(query)}`, { waitUntil: 'domcontentloaded' });
    await eventually(page, `both incidents listed for ${query}`, async () =>
      (await page.getByRole('row').filter({ hasText: config.workflowId }).count()) === 1
        && (await page.getByRole('row').filter({ hasText: config.summaryWorkflowId }).count()) === 1,
    { timeout: UI_TIMEOUT, reloadMs: 5_000 });
    await snapshot(page, 'workflow-list-by-incident-type');
  });

  await run('read the static summary of the client-started incident', async () => {
    // UI 2.42.1's list has no summary column; the workflow page's User Metadata tab shows it.
    await page.getByRole('link', { name: config.summaryWorkflowId, exact: true }).click();
    await page.getByRole('heading', { name: config.summaryWorkflowId }).waitFor({ timeout: UI_TIMEOUT });
    // Its input, as the page's Input section shows it (decoded through the codec server when payloads are encrypted).
    await eventually(page, `the input holding "${config.summaryInputValue}"`,
      async () => (await page.locator('body').innerText()).includes(config.summaryInputValue), { timeout: UI_TIMEOUT });
    seen.summaryInputShown = true;
    await snapshot(page, 'client-started-input');
    await page.getByRole('tab', { name: 'User Metadata' }).click();
    await eventually(page, `the Summary section saying "${config.title}"`, async () => {
      seen.staticSummary = await metadataSection(page, 'Summary');
      return seen.staticSummary.trim() === config.title;
    }, { timeout: UI_TIMEOUT });
    await snapshot(page, 'static-summary');
  });
}

(async () => {
  fs.mkdirSync(config.screenshotDir, { recursive: true });
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'drctl-ui-chromium-'));
  let context;
  let page;
  let failed = false;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: process.env.DRCTL_CHROMIUM || '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
      viewport: { width: 1400, height: 1000 },
    });
    page = context.pages()[0] || await context.newPage();
    await main(page);
    console.log(`RESULT ${JSON.stringify(seen)}`);
  } catch (error) {
    failed = true;
    const shot = path.join(config.screenshotDir, 'failure.png');
    if (page) {
      await page.screenshot({ path: shot, fullPage: true }).catch(() => {});
      fs.writeFileSync(path.join(config.screenshotDir, 'failure.txt'), await page.locator('body').innerText().catch(() => ''));
    }
    console.error(`FAILED at stage "${stage}": ${error.message}\n  page: ${page ? page.url() : '-'}\n  screenshot: ${shot}`);
  } finally {
    if (context) await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  process.exit(failed ? 1 : 0);
})();
