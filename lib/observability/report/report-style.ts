/**
 * The report page's stylesheet, inlined into the page (no network, no external file).
 *
 * @module
 */

/** Height of one lane of a timeline, in px. */
export const LANE_HEIGHT = 22;

/** The page's CSS. */
export const REPORT_CSS = `
:root { --lane: ${LANE_HEIGHT}px; --label: 230px; --api: #3b6fd4; --tool: #2e9c6a; --error: #d0453a; --ink: #1d2230; --muted: #667085; --rule: #e3e6ec; }
* { box-sizing: border-box; }
body { margin: 0; padding: 24px 32px 48px; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #fafbfc; }
header h1 { margin: 0 0 4px; font-size: 22px; }
header p, .meta { margin: 0; color: var(--muted); }
.legend { display: flex; gap: 16px; margin: 12px 0 0; color: var(--muted); font-size: 12px; }
.legend span::before { content: ""; display: inline-block; width: 12px; height: 10px; margin-right: 5px; border-radius: 2px; vertical-align: -1px; background: var(--swatch); }
.run { margin-top: 28px; padding: 18px 20px 20px; background: #fff; border: 1px solid var(--rule); border-radius: 8px; }
.run h2 { margin: 0; font-size: 17px; }
.run h2 small { font-weight: 400; color: var(--muted); }
.input { margin: 10px 0; padding: 6px 10px; border-left: 3px solid var(--rule); color: #343a46; white-space: pre-wrap; overflow-wrap: anywhere; }
.totals { display: flex; flex-wrap: wrap; gap: 6px 18px; margin: 8px 0 14px; }
.totals b { font-variant-numeric: tabular-nums; }
.failed { color: var(--error); }
.timeline { position: relative; }
.axis, .row { display: grid; grid-template-columns: var(--label) 1fr; }
.axis .scale { position: relative; height: 20px; border-bottom: 1px solid var(--rule); }
.tick { position: absolute; bottom: 2px; transform: translateX(-50%); font-size: 11px; color: var(--muted); white-space: nowrap; }
.tick:first-child { transform: none; }
.row { border-bottom: 1px dashed var(--rule); }
.label { padding: 3px 8px 3px calc(6px + var(--depth) * 18px); overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.label small { color: var(--muted); }
.label .via { font-size: 11px; color: var(--muted); }
.row[data-depth="0"] .label { font-weight: 600; }
.track { position: relative; margin: 3px 0; }
.gridline { position: absolute; top: 0; bottom: 0; width: 0; border-left: 1px solid #f0f2f5; }
.bar { position: absolute; height: calc(var(--lane) - 4px); min-width: 2px; border-radius: 3px; color: #fff; font-size: 11px; line-height: calc(var(--lane) - 4px); padding: 0 4px; overflow: hidden; white-space: nowrap; text-overflow: clip; }
.bar.api { background: var(--api); }
.bar.tool { background: var(--tool); }
.bar.error { background: var(--error); }
.mark { position: absolute; top: -2px; bottom: -2px; width: 0; border-left: 2px dashed #b5651d; }
.bar[data-started-child] { outline: 2px solid #9fd3bb; outline-offset: 1px; }
table.calls { width: 100%; margin-top: 14px; border-collapse: collapse; font-size: 12.5px; font-variant-numeric: tabular-nums; }
.calls th, .calls td { padding: 4px 8px; border-bottom: 1px solid var(--rule); text-align: right; white-space: nowrap; }
.calls thead th:nth-child(-n+4), .calls tbody td:nth-child(-n+4), .calls tfoot td:first-child { text-align: left; }
.calls tfoot td { font-weight: 600; border-top: 2px solid var(--rule); }
.empty { margin-top: 28px; color: var(--muted); }
`;
