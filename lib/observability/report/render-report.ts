/**
 * The run report as one self-contained HTML page: no script, no network, the CSS inline. One
 * section per run: what ran, the totals, a timeline (a time axis; a row per process, children
 * indented under their parent; a bar per model call and per tool call, parallel calls on lanes of
 * their own) and a table of every call with its tokens, cache reads and cost.
 *
 * Every bar carries data attributes (`data-bar`, `data-kind`, `data-id`, `data-process`,
 * `data-lane`, `data-start-ms`, `data-duration-ms`) so tools and tests can read it; a rewind is a
 * vertical mark across its process's track (`data-mark`, `data-kind="rewind"`, `data-to`,
 * `data-message-id`, `data-at-ms`).
 *
 * @module
 */
import { escapeHtml, formatCost, formatMs, formatTokens, percent, tickStep } from './html.js';
import { LANE_HEIGHT, REPORT_CSS } from './report-style.js';
import { processesOf, type RunTimeline, type TimelineBar, type TimelineMark, type TimelineProcess } from './run-timeline.js';

/** What the page says about where it came from. */
export interface ReportInfo {
  /** The run log's name, shown in the header. */
  source: string;
  /** When the page was made (default now). */
  generatedAt?: Date | undefined;
}

/** The longest prompt shown in full. */
const MAX_INPUT = 600;

function barTitle(bar: TimelineBar, process: TimelineProcess): string {
  const where = process.via ? ` (in ${process.program})` : '';
  const lines = [`${bar.kind === 'api' ? 'model call' : 'tool'} ${bar.label}${where}`, `${formatMs(bar.startMs)} → ${formatMs(bar.endMs)} (${formatMs(bar.endMs - bar.startMs)})`];
  if (bar.tokens) {
    const t = bar.tokens;
    lines.push(`${formatTokens(t.inputTokens)} in, ${formatTokens(t.outputTokens)} out, ${formatTokens(t.cacheReadInputTokens)} cache read, ${formatTokens(t.cacheCreationInputTokens)} cache write`);
    lines.push(`cost ${formatCost(bar.costUsd)} · stop ${bar.stopReason ?? '?'}`);
  }
  if (bar.isError) lines.push(bar.kind === 'api' ? 'never answered' : 'failed');
  return lines.join('\n');
}

function renderBar(bar: TimelineBar, process: TimelineProcess, run: RunTimeline, children: readonly TimelineProcess[]): string {
  const started = children.filter((child) => child.startedBy === bar.id).map((child) => child.processId);
  const attributes = [
    'data-bar',
    `data-kind="${bar.kind}"`,
    `data-id="${escapeHtml(bar.id)}"`,
    `data-process="${escapeHtml(process.processId)}"`,
    `data-lane="${bar.lane}"`,
    `data-start-ms="${bar.startMs}"`,
    `data-duration-ms="${bar.endMs - bar.startMs}"`,
    bar.isError ? 'data-error' : '',
    started.length ? `data-started-child="${escapeHtml(started.join(' '))}"` : '',
  ].filter(Boolean);
  const style = `left:${percent(bar.startMs, run.durationMs)};width:${percent(bar.endMs - bar.startMs, run.durationMs)};top:${bar.lane * LANE_HEIGHT + 2}px`;
  const classes = `bar ${bar.kind}${bar.isError ? ' error' : ''}`;
  return `<div class="${classes}" ${attributes.join(' ')} style="${style}" title="${escapeHtml(barTitle(bar, process))}">${escapeHtml(bar.label)}</div>`;
}

/** A rewind: a vertical line across the process's track, at the moment it was applied. */
function renderMark(mark: TimelineMark, run: RunTimeline): string {
  const attributes = [
    'data-mark',
    `data-kind="${mark.kind}"`,
    `data-to="${escapeHtml(mark.to)}"`,
    `data-message-id="${escapeHtml(mark.messageId)}"`,
    `data-at-ms="${mark.atMs}"`,
    mark.toolUseId ? `data-tool-use-id="${escapeHtml(mark.toolUseId)}"` : '',
  ].filter(Boolean);
  return `<div class="mark ${mark.kind}" ${attributes.join(' ')} style="left:${percent(mark.atMs, run.durationMs)}" title="${escapeHtml(`${mark.label} at ${formatMs(mark.atMs)}`)}"></div>`;
}

function renderAxis(run: RunTimeline): { axis: string; gridlines: string } {
  const step = tickStep(run.durationMs);
  const ticks: number[] = [];
  for (let at = 0; at <= run.durationMs + 1e-9; at += step) ticks.push(at);
  const labels = ticks.map((at) => `<span class="tick" style="left:${percent(at, run.durationMs)}">${formatMs(at)}</span>`).join('');
  const gridlines = ticks.map((at) => `<div class="gridline" style="left:${percent(at, run.durationMs)}"></div>`).join('');
  return { axis: `<div class="axis"><div></div><div class="scale">${labels}</div></div>`, gridlines };
}

function renderRow(process: TimelineProcess, depth: number, parent: TimelineProcess | undefined, run: RunTimeline, gridlines: string): string {
  const via = process.via ? ` <span class="via">${process.via}</span>` : '';
  const attributes = [
    'data-process-row',
    `data-process="${escapeHtml(process.processId)}"`,
    `data-depth="${depth}"`,
    parent ? `data-parent-process="${escapeHtml(parent.processId)}"` : '',
    process.startedBy ? `data-started-by="${escapeHtml(process.startedBy)}"` : '',
  ].filter(Boolean);
  const bars = process.bars.map((bar) => renderBar(bar, process, run, process.children)).join('') + process.marks.map((mark) => renderMark(mark, run)).join('');
  return (
    `<div class="row" ${attributes.join(' ')} style="--depth:${depth}">` +
    `<div class="label" title="${escapeHtml(`${process.program} (${process.processId})`)}">${escapeHtml(process.program)} <small>${escapeHtml(process.processId)}</small>${via}</div>` +
    `<div class="track" data-track style="height:${process.lanes * LANE_HEIGHT}px">${gridlines}${bars}</div></div>`
  );
}

function renderTable(run: RunTimeline): string {
  const rows = processesOf(run)
    .flatMap(({ process }) => process.bars.map((bar) => ({ bar, process })))
    .sort((a, b) => a.bar.startMs - b.bar.startMs);
  const cells = rows.map(({ bar, process }, i) => {
    const t = bar.tokens;
    const numbers = t
      ? [formatTokens(t.inputTokens), formatTokens(t.outputTokens), formatTokens(t.cacheReadInputTokens), formatTokens(t.cacheCreationInputTokens), formatCost(bar.costUsd)]
      : ['', '', '', '', ''];
    const status = bar.isError ? '<span class="failed">failed</span>' : (bar.stopReason ?? 'ok');
    return `<tr data-call-row data-id="${escapeHtml(bar.id)}"><td>${i + 1}</td><td>${escapeHtml(process.program)}</td><td>${bar.kind === 'api' ? 'model' : 'tool'}</td><td>${escapeHtml(bar.label)}</td><td>${formatMs(bar.startMs)}</td><td>${formatMs(bar.endMs - bar.startMs)}</td>${numbers.map((n) => `<td>${n}</td>`).join('')}<td>${status}</td></tr>`;
  });
  const total = run.totals;
  const foot = `<tr><td colspan="6">Total: ${total.apiCalls} model call${total.apiCalls === 1 ? '' : 's'}, ${total.toolCalls} tool call${total.toolCalls === 1 ? '' : 's'}</td><td>${formatTokens(total.tokens.inputTokens)}</td><td>${formatTokens(total.tokens.outputTokens)}</td><td>${formatTokens(total.tokens.cacheReadInputTokens)}</td><td>${formatTokens(total.tokens.cacheCreationInputTokens)}</td><td>${formatCost(total.costUsd)}</td><td></td></tr>`;
  return (
    '<table class="calls"><thead><tr><th>#</th><th>process</th><th>kind</th><th>name</th><th>start</th><th>duration</th><th>input</th><th>output</th><th>cache read</th><th>cache write</th><th>cost</th><th>status</th></tr></thead>' +
    `<tbody>${cells.join('')}</tbody><tfoot>${foot}</tfoot></table>`
  );
}

function renderRun(run: RunTimeline): string {
  const { axis, gridlines } = renderAxis(run);
  const processes = processesOf(run);
  const parents = new Map<string, TimelineProcess>();
  for (const { process } of processes) for (const child of process.children) parents.set(child.processId, process);
  const rows = processes.map(({ process, depth }) => renderRow(process, depth, parents.get(process.processId), run, gridlines)).join('');
  const t = run.totals;
  const stop = run.finished ? escapeHtml(run.stopReason ?? '?') : '<span class="failed">no end in the log</span>';
  const error = run.error ? `<p class="failed">${escapeHtml(`${run.error.name}: ${run.error.message}`)}</p>` : '';
  const input = run.input.length > MAX_INPUT ? `${run.input.slice(0, MAX_INPUT)}…` : run.input;
  return (
    `<section class="run" data-run="${escapeHtml(run.runId)}" data-duration-ms="${run.durationMs}">` +
    `<h2>${escapeHtml(run.program)} <small>${escapeHtml(run.model)}</small></h2>` +
    `<p class="meta">${escapeHtml(new Date(run.startTime).toISOString())} · ${formatMs(run.durationMs)} · stop: ${stop} · ${escapeHtml(run.processId)}, pid ${run.pid} · run ${escapeHtml(run.runId)}</p>` +
    error +
    `<div class="input">${escapeHtml(input)}</div>` +
    `<div class="totals" data-totals><span><b>${t.apiCalls}</b> model call${t.apiCalls === 1 ? '' : 's'}</span><span><b>${t.toolCalls}</b> tool call${t.toolCalls === 1 ? '' : 's'}</span>` +
    `<span><b>${formatTokens(t.tokens.inputTokens)}</b> in</span><span><b>${formatTokens(t.tokens.outputTokens)}</b> out</span>` +
    `<span><b>${formatTokens(t.tokens.cacheReadInputTokens)}</b> cache read</span><span><b>${formatTokens(t.tokens.cacheCreationInputTokens)}</b> cache write</span>` +
    `<span><b>${formatCost(t.costUsd)}</b></span></div>` +
    `<div class="timeline" data-timeline>${axis}${rows}</div>` +
    renderTable(run) +
    '</section>'
  );
}

/** The whole page for `runs`. */
export function renderReport(runs: readonly RunTimeline[], info: ReportInfo): string {
  const generated = (info.generatedAt ?? new Date()).toISOString();
  const body = runs.length > 0 ? runs.map(renderRun).join('\n') : '<p class="empty">No runs in this log.</p>';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>llmproc runs: ${escapeHtml(info.source)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<header><h1>llmproc runs</h1><p>${escapeHtml(info.source)} · ${runs.length} run${runs.length === 1 ? '' : 's'} · generated ${escapeHtml(generated)}</p>
<div class="legend"><span style="--swatch:var(--api)">model call</span><span style="--swatch:var(--tool)">tool call</span><span style="--swatch:var(--error)">failed</span><span style="--swatch:#b5651d">rewind (dashed line)</span></div></header>
${body}
</body>
</html>
`;
}
