/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** `19.9` -> `19.90 EUR`. */
export function formatEur(amount: number): string {
  return `${amount.toFixed(2)} EUR`;
}

const STYLE = `
body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#222}
header{display:flex;gap:1rem;align-items:baseline;border-bottom:1px solid #ddd;margin-bottom:1.5rem}
header a{color:#e0234e;text-decoration:none}
.products{display:grid;grid-template-columns:repeat(auto-fit,minmax(13rem,1fr));gap:1rem}
.card{border:1px solid #ddd;border-radius:.5rem;padding:1rem}
.price{font-size:1.25rem;font-weight:600}
button{background:#e0234e;color:#fff;border:0;border-radius:.3rem;padding:.5rem 1rem;font-size:1rem;cursor:pointer}
button[disabled]{background:#bbb;cursor:not-allowed}
table{border-collapse:collapse;width:100%}
td,th{border-bottom:1px solid #eee;padding:.4rem;text-align:left}
.details th{width:9rem}
.status{font-weight:600;padding:.1rem .5rem;border-radius:.3rem}
.status-paid{background:#d9f5df;color:#11602a}
.status-cancelled{background:#f0f0f0;color:#555}
.status-awaiting_payment{background:#fff3cd;color:#7a5b00}
.status-amount_mismatch{background:#fde2e2;color:#8a1111}
.note{color:#666}
.error{background:#fde2e2;padding:.75rem;border-radius:.3rem}
`;

/** The page frame shared by every page; `refreshSeconds` reloads pages that wait for a webhook. */
export function layout(title: string, body: string, refreshSeconds?: number): string {
  const refresh =
    refreshSeconds === undefined ? '' : `<meta http-equiv="refresh" content="${refreshSeconds}">`;
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
${refresh}<title>${escapeHtml(title)} - SecPaid sample shop</title>
<style>${STYLE}</style>
</head>
<body>
<header><h2>SecPaid sample shop</h2><a href="/">Shop</a><a href="/orders">Orders</a><a href="/health/ready">Health</a></header>
<main>
${body}
</main>
</body>
</html>
`;
}
