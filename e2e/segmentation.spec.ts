/**
 * The model in the browser, as a person uses it: the sample is segmented by the student on the WASM backend in a
 * worker, frame by frame, with a progress bar, without freezing the page; cancel stops it; switching models keeps
 * each model's results; a damaged model file gives a clear message and keeps the series; after one visit the app
 * works offline. Model files are only ever damaged on purpose (fault injection), never faked: the masks checked here
 * are the model's own, and no test depends on their exact values.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Browser, type Page } from '@playwright/test';
import type { ModelIndex } from '../src/segment/manifest';
import { viewportStats, waitForImage } from './fixtures';

const INDEX = JSON.parse(
  readFileSync(path.resolve(import.meta.dirname, '../public/models/index.json'), 'utf8'),
) as ModelIndex;
const keyOf = (m: { id: string; version: string }): string => `${m.id}@${m.version}`;
// The student users get: the index's default (else the first student listed).
const student =
  INDEX.models.find((m) => m.path === INDEX.default && m.id === 'student') ??
  INDEX.models.find((m) => m.id === 'student');
const other = INDEX.models.find((m) => m.id !== 'student');

test.describe.configure({ mode: 'serial' });
test.skip(!student, 'public/models/index.json lists no student model');

/** A page that starts with the student selected and records every main-thread long task. */
async function studentPage(browser: Browser, opts: { serviceWorkers?: 'allow' | 'block' } = {}): Promise<Page> {
  const context = await browser.newContext({ serviceWorkers: opts.serviceWorkers ?? 'allow' });
  const page = await context.newPage();
  await page.addInitScript((key) => {
    localStorage.setItem('cineseg.model', key);
    const tasks: { start: number; duration: number }[] = [];
    (window as unknown as { longTasks: typeof tasks }).longTasks = tasks;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) tasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  }, keyOf(student!));
  return page;
}

const progress = (page: Page) => page.getByTestId('segment-progress');

async function progressValue(page: Page): Promise<number> {
  return Number(await progress(page).getAttribute('aria-valuenow'));
}

/**
 * Longest main-thread task that began while the series was being segmented (from the first start mark to the
 * completion mark), ms. Loading the series (parsing, the first render) happens before, in its own tasks.
 * Only a coarse bound is asserted on it here (FREEZE_MS): the 100 ms target is a wall-clock figure that a busy machine
 * misses, so the benchmark (`npm run bench`, on an idle machine) measures and checks it.
 */
async function longestTaskWhileSegmenting(page: Page): Promise<number> {
  return page.evaluate(() => {
    const start = performance.getEntriesByName('cineseg:segmentation-start')[0]?.startTime ?? 0;
    const end = performance.getEntriesByName('cineseg:segmentation-complete').at(-1)?.startTime ?? performance.now();
    const tasks = (window as unknown as { longTasks: { start: number; duration: number }[] }).longTasks;
    return Math.max(0, ...tasks.filter((t) => t.start >= start && t.start <= end).map((t) => t.duration));
  });
}

/**
 * A main-thread task this long would be a frozen tab: inference on the main thread takes seconds per series. Far above
 * what the app's tasks take even on a loaded 2-core machine (the benchmark's target is 100 ms).
 */
const FREEZE_MS = 2000;

/**
 * Presses `key` and returns how long the page took to show its effect on the frame read-out (keydown to DOM change,
 * measured in the page), ms.
 */
async function frameKeyResponseMs(page: Page, key: string, expectFrame: string): Promise<number> {
  await page.evaluate(() => {
    const w = window as unknown as { keyAt?: number; answeredAt?: number };
    w.keyAt = undefined;
    w.answeredAt = undefined;
    window.addEventListener('keydown', () => (w.keyAt ??= performance.now()), { capture: true, once: true });
    const out = document.querySelector('[data-testid="frame-value"]');
    const observer = new MutationObserver(() => {
      w.answeredAt ??= performance.now();
      observer.disconnect();
    });
    if (out) observer.observe(out, { childList: true, characterData: true, subtree: true });
  });
  await page.keyboard.press(key);
  await expect(page.getByTestId('frame-value')).toHaveText(expectFrame);
  return page.evaluate(() => {
    const w = window as unknown as { keyAt?: number; answeredAt?: number };
    return (w.answeredAt ?? Number.NaN) - (w.keyAt ?? Number.NaN);
  });
}

let page: Page;

test.beforeAll(async ({ browser }) => {
  page = await studentPage(browser);
  await page.goto('./');
});

test.afterAll(async () => {
  await page.context().close();
});

test('the sample is segmented in the background, the frame on screen first; cancel and resume; no frozen page', async () => {
  await expect(page.getByTestId('backend-info')).toContainText('WASM', { timeout: 30_000 });
  await expect(page.getByTestId('backend-info')).toContainText('SIMD');
  await expect(page.getByTestId('backend-info')).toContainText('cross-origin isolated');
  await page.evaluate(() => performance.clearMarks());
  await page.getByTestId('load-sample').click();
  await expect(page.getByTestId('series-info')).toContainText('phantom_cine');

  // Automatic start (the default). Cancel stops it part way, and it stays stopped.
  await expect(page.getByTestId('segment-status')).toContainText('Segmenting', { timeout: 30_000 });
  await expect.poll(() => progressValue(page), { timeout: 60_000 }).toBeGreaterThan(0);
  await page.getByTestId('segment-cancel').click();
  await expect(page.getByTestId('segment-status')).toContainText('Cancelled');
  const stopped = await progressValue(page);
  expect(stopped).toBeLessThan(100);
  await page.waitForTimeout(1000);
  expect(await progressValue(page)).toBe(stopped);
  await expect(page.getByTestId('segment-cancel')).toBeDisabled();

  // The sample came with labels, which stay on screen; the model's output is one choice away.
  const source = page.getByTestId('mask-source');
  await expect(source.locator('option')).toHaveCount(2);
  await source.selectOption({ label: `Model: ${student!.label}` });

  // Segment resumes; a frame far ahead, scrubbed to, gets its masks long before the rest (it jumps the queue).
  // Only cheap DOM reads while it runs: the long-task check below must see the app's work, not the test's.
  await page.getByTestId('segment-run').click();
  await page.getByTestId('frame-slider').fill('15');
  await expect(page.getByTestId('frame-value')).toHaveText('16');
  // The page answers the keyboard while the worker segments: → and ← step the frame at once.
  const segmentingWhilePressed = (await progressValue(page)) < 100;
  expect(await frameKeyResponseMs(page, 'ArrowRight', '17')).toBeLessThan(FREEZE_MS);
  expect(await frameKeyResponseMs(page, 'ArrowLeft', '16')).toBeLessThan(FREEZE_MS);
  const frames = page.getByTestId('segment-frames').locator('li');
  await expect(frames.nth(15)).toHaveAttribute('data-ready', 'true', { timeout: 60_000 });
  // In playback order frame 16 would come 16th of 20; prioritised, it comes right after the frame in flight.
  expect(await page.getByTestId('segment-frames').locator('li[data-ready="true"]').count()).toBeLessThan(15);

  await expect(progress(page)).toHaveAttribute('aria-valuenow', '100', { timeout: 120_000 });
  await expect(page.getByTestId('segment-status')).toContainText('All 20 frames segmented');
  expect(await page.evaluate(() => performance.getEntriesByName('cineseg:segmentation-complete').length)).toBe(1);
  // No frozen tab while it ran (a bound a loaded machine meets; the 100 ms target is the benchmark's).
  expect(await longestTaskWhileSegmenting(page)).toBeLessThan(FREEZE_MS);
  test.info().annotations.push({
    type: 'keys pressed while segmenting',
    description: String(segmentingWhilePressed),
  });

  // The model's masks are drawn: the canvas differs from the rendering without masks.
  await page.getByTestId('mask-toggle').uncheck();
  const bare = await waitForImage(page);
  expect(bare.colored).toBe(0);
  await page.getByTestId('mask-toggle').check();
  await expect.poll(async () => (await viewportStats(page)).colored).toBeGreaterThan(0);
  expect((await viewportStats(page)).hash).not.toBe(bare.hash);
  await expect(page.getByTestId('segment-run')).toBeDisabled();
});

test('switching models keeps each model’s results (switching back recomputes nothing)', async () => {
  await expect(progress(page)).toHaveAttribute('aria-valuenow', '100');
  test.skip(!other, 'public/models/index.json lists only one model');
  await page.getByTestId('segment-advanced').locator('summary').click();
  const select = page.getByTestId('model-select');
  await expect(select.locator('option')).toHaveCount(INDEX.models.length);
  // Without automatic start, so the (slow) teacher is only loaded, not run.
  await page.getByTestId('auto-segment').uncheck();
  await select.selectOption(keyOf(other!));
  await expect(page.getByTestId('segment-run')).toBeEnabled({ timeout: 60_000 });
  await expect(progress(page)).toHaveAttribute('aria-valuenow', '0');
  await expect(page.getByTestId('segment-status')).toContainText('Not segmented yet');

  await select.selectOption(keyOf(student!));
  await expect(progress(page)).toHaveAttribute('aria-valuenow', '100', { timeout: 30_000 });
  await expect(page.getByTestId('segment-run')).toBeDisabled();
  await page.getByTestId('auto-segment').check();
  await expect(page.getByTestId('error')).toHaveCount(0);
});

test('a damaged model file gives a clear message and the series stays', async ({ browser }) => {
  const damaged = other ?? student!;
  const p = await studentPage(browser, { serviceWorkers: 'block' });
  await p.addInitScript(() => localStorage.setItem('cineseg.autoSegment', 'false'));
  // Fault injection only: the weights arrive with other bytes than the manifest's sha256 promises.
  await p
    .context()
    .route(`**/models/${damaged.path}weights.bin`, (route) =>
      route.fulfill({ status: 200, contentType: 'application/octet-stream', body: Buffer.alloc(4096, 7) }),
    );
  await p.goto('./');
  await p.getByTestId('load-sample').click();
  await expect(p.getByTestId('series-info')).toContainText('phantom_cine');
  if (damaged !== student) {
    await p.getByTestId('segment-advanced').locator('summary').click();
    await p.getByTestId('model-select').selectOption(keyOf(damaged));
  }
  const alert = p.getByTestId('error');
  await expect(alert).toContainText('could not be loaded', { timeout: 30_000 });
  await expect(alert).toContainText('weights.bin is corrupt');
  await expect(alert).toContainText('Still showing phantom_cine');
  await expect(p.getByTestId('series-info')).toContainText('phantom_cine');
  expect((await waitForImage(p)).lit).toBeGreaterThan(0);
  await p.context().close();
});

test('after one visit the app loads and segments offline', async ({ browser }) => {
  const p = await studentPage(browser);
  await p.goto('./');
  // The service worker is active once everything is precached.
  await p.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await p.context().setOffline(true);
  await p.reload();
  expect(await p.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  expect(await p.evaluate(() => crossOriginIsolated)).toBe(true);
  await expect(p.getByTestId('backend-info')).toContainText('WASM', { timeout: 30_000 });
  await p.getByTestId('load-sample').click();
  await expect(p.getByTestId('series-info')).toContainText('phantom_cine');
  // Two frames segmented prove the worker, the WASM files and the model all came from the cache.
  await expect.poll(() => progressValue(p), { timeout: 120_000 }).toBeGreaterThanOrEqual(10);
  await expect(p.getByTestId('error')).toHaveCount(0);
  await p.context().close();
});
