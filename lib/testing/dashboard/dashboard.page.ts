/**
 * The dashboard page (`GET /dashboard`): plain server-rendered HTML, a stylesheet and one small
 * script, all inline under a nonce-based Content-Security-Policy (no build step, no framework).
 * The script listens to `/dashboard/events` (server-sent events), fetches the fresh fragment
 * from `/dashboard/content` and posts the buttons' actions to `/dashboard/actions` as JSON.
 */
import { escapeHtml } from '../server/http.util.js';

/** Endpoint names the fault form offers (the nine v2 endpoints; empty = any). */
export interface DashboardPageInput {
  environment: string;
  endpoints: readonly string[];
  /** The server-rendered live fragment. */
  content: string;
  /** The change counter the fragment reflects. */
  version: number;
  /** Per-response nonce of the inline style and script. */
  nonce: string;
}

const STYLE = `
:root{color-scheme:light dark;--fg:#1b1f24;--muted:#57606a;--bg:#fff;--line:#d0d7de;--soft:#f6f8fa;--good:#1a7f37;--bad:#cf222e;--accent:#0969da}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#9198a1;--bg:#0d1117;--line:#3d444d;--soft:#151b23;--good:#3fb950;--bad:#f85149;--accent:#4493f8}}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);background:var(--bg)}
header{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;align-items:baseline;padding:.75rem 1.25rem;border-bottom:1px solid var(--line);background:var(--soft)}
header h1{font-size:1.15rem;margin:0}
main{padding:0 1.25rem 2rem;max-width:1400px}
h2{font-size:1.05rem;margin:1.5rem 0 .5rem}
h2 small{font-weight:normal;color:var(--muted)}
.summary{color:var(--muted);margin:.75rem 0}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:.25rem 0 .75rem}
dt{color:var(--muted)}dd{margin:0;overflow-wrap:anywhere}
.scroll{overflow-x:auto;margin:.5rem 0 1rem;border:1px solid var(--line);border-radius:6px}
table{border-collapse:collapse;width:100%}
caption{text-align:left;font-weight:600;padding:.4rem .6rem;background:var(--soft);border-bottom:1px solid var(--line)}
th,td{text-align:left;padding:.3rem .6rem;border-bottom:1px solid var(--line);vertical-align:top}
th{font-weight:600;color:var(--muted);white-space:nowrap}
tbody tr:last-child td{border-bottom:0}
td.num{text-align:right;white-space:nowrap}
td.note{min-width:10rem;max-width:22rem;overflow-wrap:anywhere}
td.url{min-width:15rem;max-width:24rem;overflow-wrap:anywhere;font-family:ui-monospace,monospace;font-size:12px}
td.answer,td.when{white-space:nowrap}
td.actions{white-space:nowrap}
pre{white-space:pre-wrap;overflow-wrap:anywhere;min-width:16rem;max-width:32rem;margin:.25rem 0;padding:.4rem;background:var(--soft);border-radius:4px;font-size:12px}
details p{margin:.25rem 0;color:var(--muted)}
button{font:inherit;padding:.15rem .55rem;border:1px solid var(--line);border-radius:5px;background:var(--bg);color:var(--fg);cursor:pointer}
button:hover{border-color:var(--accent)}
button:focus-visible,summary:focus-visible,input:focus-visible,select:focus-visible{outline:2px solid var(--accent);outline-offset:1px}
.tag{display:inline-block;white-space:nowrap;padding:0 .4rem;border-radius:999px;border:1px solid var(--line);font-size:12px}
.tag.good,.tag.used{color:var(--good);border-color:var(--good)}
.tag.bad,.tag.cancelled,.tag.deleted{color:var(--bad);border-color:var(--bad)}
.empty{color:var(--muted);margin:.4rem 0 .8rem}
form.fault{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin:0}
form.fault input,form.fault select{font:inherit;padding:.1rem .3rem}
form.fault input[type=number]{width:5rem}
#status{min-height:1.4em;margin:.5rem 0 0;color:var(--muted)}
@media (max-width:700px){header,main{padding-left:.6rem;padding-right:.6rem}dl{grid-template-columns:1fr}dt{margin-top:.3rem}}
`;

const SCRIPT = `
(() => {
const content = document.getElementById('content');
const statusLine = document.getElementById('status');
let loading = false;
let again = false;
async function refresh() {
  if (loading) { again = true; return; }
  loading = true;
  try {
    const answer = await fetch('/dashboard/content', { cache: 'no-store' });
    if (!answer.ok) return;
    const open = new Set([...content.querySelectorAll('details[open]')].map((d) => d.dataset.key));
    const focused = document.activeElement && content.contains(document.activeElement) ? document.activeElement.id : '';
    content.innerHTML = await answer.text();
    for (const details of content.querySelectorAll('details')) {
      if (open.has(details.dataset.key)) details.open = true;
    }
    if (focused) document.getElementById(focused)?.focus();
  } finally {
    loading = false;
    if (again) { again = false; void refresh(); }
  }
}
async function act(payload, label) {
  statusLine.textContent = label + '…';
  try {
    const answer = await fetch('/dashboard/actions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload),
    });
    const result = await answer.json();
    statusLine.textContent = result.ok ? result.message : 'Refused: ' + result.error;
  } catch (error) {
    statusLine.textContent = 'The mock did not answer: ' + error;
  }
  void refresh();
}
document.addEventListener('click', async (event) => {
  const copy = event.target.closest('button[data-copy]');
  if (copy) {
    try { await navigator.clipboard.writeText(copy.dataset.copy); statusLine.textContent = 'API key copied.'; }
    catch { statusLine.textContent = 'Copy failed: select the key in the CLI banner instead.'; }
    return;
  }
  const button = event.target.closest('button[data-action]');
  if (!button) return;
  const payload = { action: button.dataset.action, id: Number(button.dataset.id) };
  if (button.dataset.prompt) {
    const value = prompt(button.dataset.prompt, button.dataset.default || '');
    if (value === null) return;
    payload.value = value;
  }
  await act(payload, button.textContent + ' #' + payload.id);
});
document.getElementById('fault').addEventListener('submit', (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  void act({
    action: 'fault',
    endpoint: form.get('endpoint'),
    status: Number(form.get('status')),
    times: Number(form.get('times')),
  }, 'Injecting a fault');
});
const events = new EventSource('/dashboard/events');
events.addEventListener('change', () => void refresh());
events.addEventListener('open', () => void refresh());
})();
`;

/** The whole page. */
export function dashboardPageHtml(input: DashboardPageInput): string {
  const options = ['', ...input.endpoints]
    .map(
      (name) =>
        `<option value="${escapeHtml(name)}">${name ? escapeHtml(name) : 'any endpoint'}</option>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>SecPaid mock dashboard (${escapeHtml(input.environment)})</title>
<style nonce="${input.nonce}">${STYLE}</style>
</head>
<body>
<header>
<h1>SecPaid mock dashboard</h1>
<form class="fault" id="fault" aria-label="Make the next call of an endpoint fail">
<label for="fault-endpoint">Make the next call of</label>
<select id="fault-endpoint" name="endpoint">${options}</select>
<label for="fault-status">answer HTTP</label>
<input id="fault-status" name="status" type="number" min="400" max="599" value="500" required>
<label for="fault-times">times</label>
<input id="fault-times" name="times" type="number" min="1" max="100" value="1" required>
<button type="submit" id="fault-submit">Inject fault</button>
</form>
</header>
<main>
<p id="status" role="status" aria-live="polite"></p>
<div id="content" data-version="${input.version}">
${input.content}
</div>
</main>
<script nonce="${input.nonce}">${SCRIPT}</script>
</body>
</html>
`;
}
