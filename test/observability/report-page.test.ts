/**
 * The report page in a real headless Chromium: made by `llmproc report` (the command, as a child
 * process) from a run log of real runs against the fake Anthropic server.
 */
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { readRunLog } from '../../lib/observability/run-log/read-run-log.js';
import type { RunLogRecord, RunLogRecordOf } from '../../lib/observability/run-log/run-log-schema.js';
import { runCli } from '../cli/support.js';
import { type Chromium, launchChromium } from './support/chromium.js';
import { logSampleRuns } from './support/sample-runs.js';

/** The little of the DOM the page callbacks use (the tests compile without the DOM library). */
interface DomElement {
  dataset: Record<string, string | undefined>;
  textContent: string | null;
  closest(selector: string): DomElement | null;
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): ArrayLike<DomElement> & Iterable<DomElement>;
  getAttribute(name: string): string | null;
  getBoundingClientRect(): { left: number; top: number; width: number };
}
declare const getComputedStyle: (element: DomElement) => { paddingLeft: string };

/** A call as the log says it happened: when, relative to its run's start, and in which process. */
interface LoggedCall {
  id: string;
  kind: 'api' | 'tool';
  processId: string;
  startMs: number;
  endMs: number;
  record: RunLogRecord;
}

/** The calls of one run, from its records alone, sorted by start. */
function callsOf(run: RunLogRecord[]): { calls: LoggedCall[]; durationMs: number } {
  const t0 = run.find((r) => r.event === 'run:start')!.time;
  const t1 = run.find((r) => r.event === 'run:end')!.time;
  const calls: LoggedCall[] = [];
  const processOf = (r: RunLogRecord): string => (r.data as { child?: { processId: string } }).child?.processId ?? r.processId;
  let pending: RunLogRecordOf<'api:start'> | undefined;
  for (const r of run) {
    if (r.event === 'api:start') pending = r;
    if (r.event === 'api:call') {
      if (!r.data.child) pending = undefined;
      calls.push({ id: r.data.id, kind: 'api', processId: processOf(r), startMs: r.time - r.data.durationMs - t0, endMs: r.time - t0, record: r });
    }
    if (r.event === 'tool:start') {
      const end = run.find((e): e is RunLogRecordOf<'tool:end'> => e.event === 'tool:end' && e.data.toolUseId === r.data.toolUseId)!;
      calls.push({ id: r.data.toolUseId, kind: 'tool', processId: processOf(r), startMs: r.time - t0, endMs: end.time - t0, record: r });
    }
  }
  if (pending) calls.push({ id: `failed-call-${pending.data.iteration}`, kind: 'api', processId: pending.processId, startMs: pending.time - t0, endMs: t1 - t0, record: pending });
  return { calls: calls.sort((a, b) => a.startMs - b.startMs), durationMs: t1 - t0 };
}

/** What the page shows of each bar, measured in its track. */
interface MeasuredBar {
  id: string;
  kind: string;
  process: string;
  lane: number;
  row: string;
  left: number;
  width: number;
  top: number;
  trackWidth: number;
  startedChild: string | null;
}

function measureBars(page: Page, runId: string): Promise<MeasuredBar[]> {
  return page.$$eval(`section[data-run="${runId}"] [data-bar]`, (bars) =>
    bars.map((bar) => {
      const element = (bar as unknown as DomElement);
      const track = element.closest('[data-track]')!.getBoundingClientRect();
      const box = element.getBoundingClientRect();
      return {
        id: element.dataset['id']!,
        kind: element.dataset['kind']!,
        process: element.dataset['process']!,
        lane: Number(element.dataset['lane']),
        row: element.closest('[data-process-row]')!.dataset['process']!,
        left: box.left - track.left,
        width: box.width,
        top: box.top - track.top,
        trackWidth: track.width,
        startedChild: element.getAttribute('data-started-child'),
      };
    }),
  );
}

describe('llmproc report: the page in Chromium', function () {
  this.timeout(180_000);
  let dir: string;
  let browser: Chromium | undefined;
  let records: RunLogRecord[];
  let html: string;
  let page: Page;
  const failures: string[] = [];
  const requests: string[] = [];

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'llmproc-report-'));
    const log = path.join(dir, 'runs.jsonl');
    await logSampleRuns(log);
    records = await readRunLog(log);
    const out = path.join(dir, 'report.html');
    const { code, stdout, stderr } = await runCli(['report', log, '-o', out]);
    expect(code, stderr).to.equal(0);
    expect(stdout).to.equal(`Wrote ${out} (2 runs).\n`);
    html = readFileSync(out, 'utf8');
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.on('console', (message) => void (message.type() === 'error' && failures.push(`console: ${message.text()}`)));
    page.on('pageerror', (error) => void failures.push(`page error: ${error.message}`));
    page.on('requestfailed', (request) => void failures.push(`request failed: ${request.url()}`));
    page.on('request', (request) => void requests.push(request.url()));
    await page.goto(pathToFileURL(out).href, { waitUntil: 'load' });
  });
  after(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const runs = (): RunLogRecord[][] => {
    const byRun = new Map<string, RunLogRecord[]>();
    for (const r of records) byRun.set(r.runId, [...(byRun.get(r.runId) ?? []), r]);
    return [...byRun.values()];
  };

  it('loads on its own: no console error, no failed request, nothing fetched but the page itself', () => {
    expect(failures).to.deep.equal([]);
    expect(requests).to.deep.equal([requests[0]]);
    expect(requests[0]).to.match(/^file:\/\//);
    expect(html).not.to.match(/<(script|link|img|iframe|object)\b/i);
    expect(html).not.to.match(/https?:\/\//);
  });

  it('has one section per run of the log, in order', async () => {
    const sections = await page.$$eval('section[data-run]', (els) => els.map((el) => (el as unknown as DomElement).dataset['run']));
    expect(sections).to.deep.equal(runs().map((run) => run[0]!.runId));
  });

  it('has a bar per model call and per tool call of each run, none missing, none extra', async () => {
    for (const run of runs()) {
      const { calls } = callsOf(run);
      const bars = await measureBars(page, run[0]!.runId);
      expect(bars.map((bar) => `${bar.kind} ${bar.id}`).sort()).to.deep.equal(calls.map((call) => `${call.kind} ${call.id}`).sort());
    }
    expect((await measureBars(page, runs()[0]![0]!.runId)).length).to.equal(8);
  });

  it('places each bar on the time axis where and as long as the log says (within a pixel), in the order of the log', async () => {
    for (const run of runs()) {
      const { calls, durationMs } = callsOf(run);
      const bars = new Map((await measureBars(page, run[0]!.runId)).map((bar) => [bar.id, bar]));
      for (const call of calls) {
        const bar = bars.get(call.id)!;
        const scale = bar.trackWidth / durationMs;
        expect(bar.left, `left of ${call.id}`).to.be.closeTo(call.startMs * scale, 1.5);
        expect(bar.width, `width of ${call.id}`).to.be.closeTo(Math.max(2, (call.endMs - call.startMs) * scale), 1.5);
      }
      for (let i = 1; i < calls.length; i++) expect(bars.get(calls[i - 1]!.id)!.left).to.be.at.most(bars.get(calls[i]!.id)!.left + 1);
      const rows = await page.$$eval(`section[data-run="${run[0]!.runId}"] [data-call-row]`, (els) => els.map((el) => (el as unknown as DomElement).dataset['id']));
      expect(rows).to.deep.equal(calls.map((call) => call.id));
    }
  });

  it('stacks calls that run at once in lanes of their own, so no two bars of a process overlap', async () => {
    const [first] = runs();
    const bars = await measureBars(page, first![0]!.runId);
    const planner = bars.filter((bar) => bar.row === first![0]!.processId);
    const parallel = ['toolu_tides', 'toolu_winds', 'toolu_expert'].map((id) => planner.find((bar) => bar.id === id)!);
    expect(new Set(parallel.map((bar) => bar.top)).size).to.equal(3);
    expect(new Set(parallel.map((bar) => bar.lane))).to.deep.equal(new Set([0, 1, 2]));
    for (const a of bars) {
      for (const b of bars) {
        if (a === b || a.row !== b.row || a.top !== b.top) continue;
        const overlap = Math.min(a.left + a.width, b.left + b.width) - Math.max(a.left, b.left);
        expect(overlap, `${a.id} and ${b.id} share a lane`).to.be.at.most(1);
      }
    }
  });

  it('nests the spawned child under its parent: its own row, indented, after the parent’s, marked on the spawn call', async () => {
    const [first] = runs();
    const childStart = first!.find((r): r is RunLogRecordOf<'child:start'> => r.event === 'child:start')!;
    const child = childStart.data.origin.processId;
    const rows = await page.$$eval(`section[data-run="${first![0]!.runId}"] [data-process-row]`, (els) =>
      els.map((el) => ({
        process: (el as unknown as DomElement).dataset['process'],
        parent: (el as unknown as DomElement).dataset['parentProcess'],
        startedBy: (el as unknown as DomElement).dataset['startedBy'],
        indent: parseFloat(getComputedStyle((el as unknown as DomElement).querySelector('.label')!).paddingLeft),
        text: (el as unknown as DomElement).querySelector('.label')!.textContent,
      })),
    );
    expect(rows.map((row) => row.process)).to.deep.equal([first![0]!.processId, child]);
    expect(rows[1]).to.deep.include({ parent: first![0]!.processId, startedBy: 'toolu_expert' });
    expect(rows[1]!.text).to.include('Expert');
    expect(rows[1]!.indent).to.be.greaterThan(rows[0]!.indent);
    const bars = await measureBars(page, first![0]!.runId);
    expect(bars.find((bar) => bar.id === 'toolu_expert')!.startedChild).to.equal(child);
    expect(bars.filter((bar) => bar.row === child).map((bar) => bar.id).sort()).to.deep.equal(['msg_expert_1', 'msg_expert_2', 'toolu_storms']);
  });

  it('shows tokens, cache reads and writes and cost per call, and the run’s totals', async () => {
    const [first] = runs();
    const cells = await page.$$eval(`section[data-run="${first![0]!.runId}"] [data-call-row]`, (els) =>
      Object.fromEntries(els.map((el) => [(el as unknown as DomElement).dataset['id'], [...(el as unknown as DomElement).querySelectorAll('td')].map((td) => td.textContent)])),
    );
    for (const call of first!.filter((r): r is RunLogRecordOf<'api:call'> => r.event === 'api:call')) {
      const { tokens } = call.data;
      expect(cells[call.data.id]!.slice(6, 10)).to.deep.equal(
        [tokens.inputTokens, tokens.outputTokens, tokens.cacheReadInputTokens, tokens.cacheCreationInputTokens].map((n) => n.toLocaleString('en-US')),
      );
      expect(cells[call.data.id]![10]).to.match(/^\$0\.\d+$/);
    }
    expect(cells['msg_answer']!.slice(6, 10)).to.deep.equal(['200', '12', '1,200', '0']);
    const end = first!.find((r): r is RunLogRecordOf<'run:end'> => r.event === 'run:end')!;
    const totals = await page.$eval(`section[data-run="${first![0]!.runId}"] [data-totals]`, (el) => el.textContent);
    const usage = end.data.runResult.usage;
    expect(totals).to.equal(
      `${end.data.runResult.apiCalls} model calls${end.data.runResult.toolCalls.length} tool calls${usage.inputTokens.toLocaleString('en-US')} in${usage.outputTokens} out` +
        `${usage.cacheReadInputTokens.toLocaleString('en-US')} cache read${usage.cacheCreationInputTokens.toLocaleString('en-US')} cache write$${String(end.data.runResult.costUsd!.toPrecision(3))}`,
    );
  });

  it('marks the failed run and its call that never answered', async () => {
    const second = runs()[1]!;
    const section = `section[data-run="${second[0]!.runId}"]`;
    expect(await page.$eval(section, (el) => el.textContent)).to.include('ApiCallError: The Anthropic API answered 500');
    const failed = await page.$$eval(`${section} [data-bar][data-error]`, (els) => els.map((el) => (el as unknown as DomElement).dataset['id']));
    expect(failed).to.deep.equal(['failed-call-2']);
  });

  it('takes a screenshot', async () => {
    const shot = path.join(dir, 'report.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).to.be.greaterThan(10_000);
    expect(readFileSync(shot).subarray(1, 4).toString()).to.equal('PNG');
    if (process.env['LLMPROC_REPORT_SCREENSHOT']) await page.screenshot({ path: process.env['LLMPROC_REPORT_SCREENSHOT'], fullPage: true });
  });
});
