// Renders the verified matrix as the README's compatibility table (Markdown).

const LABEL = {
  pass: 'pass',
  fail: '**FAIL**',
  skipped: 'skipped',
};

/** One cell: the worst status of a consumer's entries on one Node version. */
function cellStatus(runs) {
  if (!runs) return 'skipped';
  const statuses = Object.values(runs).map((r) => r.status);
  for (const status of ['fail', 'skipped']) if (statuses.includes(status)) return status;
  return 'pass';
}

/** Markdown for the README, from the runner's results object. */
export function renderTable(results) {
  const nodes = results.nodes.map((n) => n.label);
  const lines = [];
  lines.push(
    `| Consumer app | NestJS | @nestjs/axios | @nestjs/config | @nestjs/terminus | class-validator | ${nodes.join(' | ')} |`,
  );
  lines.push(`|---|---|---|---|---|---|${nodes.map(() => '---').join('|')}|`);
  for (const consumer of results.consumers) {
    const v = consumer.install.versions;
    const version = (name) => v[name] ?? 'not installed';
    const cells = results.nodes.map((n) => {
      if (!consumer.install.ok) return '**FAIL** (npm install)';
      if (n.error) return '**FAIL** (node install)';
      if (consumer.minNode && !consumer.runs[n.label]) return `n/a (Node >= ${consumer.minNode})`;
      return LABEL[cellStatus(consumer.runs[n.label])];
    });
    lines.push(
      `| ${consumer.title} | ${version('@nestjs/common')} | ${version('@nestjs/axios')} | ${version('@nestjs/config')} | ${version('@nestjs/terminus')} | ${version('class-validator')} | ${cells.join(' | ')} |`,
    );
  }
  if ((results.runners ?? []).length > 0) {
    lines.push('');
    lines.push(
      `| App's own \`npm test\` + \`npm run test:e2e\` | NestJS | @nestjs/axios | @nestjs/config | @nestjs/terminus | TypeScript | Test runner | ${nodes.join(' | ')} |`,
    );
    lines.push(`|---|---|---|---|---|---|---|${nodes.map(() => '---').join('|')}|`);
    for (const app of results.runners) {
      const v = app.install.versions ?? {};
      const version = (name) => v[name] ?? 'not installed';
      const runner = v.vitest ? `Vitest ${v.vitest}` : `Jest ${version('jest')}`;
      const cells = results.nodes.map((n) => {
        if (!app.install.ok) return '**FAIL** (npm install)';
        const result = app.runs[n.label];
        if (!result) return 'not run';
        const passed = result.steps.map((s) => s.passed).join(' + ');
        return result.ok ? `pass (${passed} tests)` : '**FAIL**';
      });
      lines.push(
        `| ${app.title} | ${version('@nestjs/common')} | ${version('@nestjs/axios')} | ${version('@nestjs/config')} | ${version('@nestjs/terminus')} | ${version('typescript')} | ${runner} | ${cells.join(' | ')} |`,
      );
      // TypeScript-floor checks do not depend on Node: their result goes in the first Node column.
      for (const step of app.typeFloor?.steps ?? []) {
        const floor = nodes.map((_, i) => (i === 0 ? (step.ok ? 'pass' : '**FAIL**') : ''));
        lines.push(
          `| ↳ same app, type check \`${step.step.replace(/^tsc /, 'tsc@')}\` (specs included) | | | | | | | ${floor.join(' | ')} |`,
        );
      }
    }
  }

  lines.push('');
  lines.push(`| Package's own checks (Node ${results.nodes[0].version}) | NestJS | Result |`);
  lines.push('|---|---|---|');
  for (const row of results.suite) {
    const details = [row.advisory && !row.ok ? 'advisory' : '', row.summary ?? ''].filter(Boolean);
    const result = `${row.ok ? 'pass' : '**FAIL**'}${details.length ? ` (${details.join(', ')})` : ''}`;
    lines.push(`| ${row.title} | ${row.nest ?? '?'} | ${result} |`);
  }
  return lines.join('\n');
}
