import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parser } from '@prometheus-io/lezer-promql';
import YAML from 'yaml';

/**
 * docs/operations.md is what an operator copies: every series the code defines is documented there
 * and every documented one exists; its example alert rules are valid YAML whose expressions parse
 * with Prometheus's own PromQL grammar and name only series that exist.
 */

const root = path.join(__dirname, '..', '..');
const doc = readFileSync(path.join(root, 'docs', 'operations.md'), 'utf8');

/** `name: 'chorus_…'` in the modules that define series. */
const defined = new Set(
  ['platform/metrics.ts', 'api/metrics.ts', 'worker/health.ts'].flatMap((file) =>
    [...readFileSync(path.join(root, file), 'utf8').matchAll(/name: '(chorus_\w+)'/g)].map((m) => m[1]),
  ),
);

/** First cells of the metric tables: | `chorus_…` | */
const documented = new Set([...doc.matchAll(/^\| `(chorus_\w+)`/gm)].map((m) => m[1]));

const yamlBlocks = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => YAML.parse(m[1]) as unknown);

interface Rule {
  alert: string;
  expr: string;
}
const rules = yamlBlocks.flatMap(
  (block) => (block as { groups?: { rules: Rule[] }[] }).groups?.flatMap((g) => g.rules) ?? [],
);

function promqlErrors(expr: string): string[] {
  const errors: string[] = [];
  parser.parse(expr).iterate({
    enter: (node) => {
      if (node.type.isError) errors.push(`at ${node.from}: ${expr.slice(node.from, node.from + 20)}`);
    },
  });
  return errors;
}

describe('docs/operations.md', () => {
  it('documents exactly the series the code defines', () => {
    expect(defined.size).toBeGreaterThanOrEqual(15);
    expect([...documented].sort()).toEqual([...defined].sort());
  });

  it('has alert rules that parse as PromQL, for stuck tasks, FAILED connections, webhooks and 429s', () => {
    const names = rules.map((r) => r.alert);
    expect(names).toEqual(
      expect.arrayContaining([
        'InvoiceTaskWaiting',
        'ChorusConnectionFailed',
        'WebhookDeliveriesFailing',
        'ChorusRateLimited',
      ]),
    );
    for (const rule of rules) {
      expect({ alert: rule.alert, errors: promqlErrors(rule.expr) }).toEqual({
        alert: rule.alert,
        errors: [],
      });
    }
    // The grammar does refuse a broken expression.
    expect(promqlErrors('sum(rate(chorus_api_calls_total[5m]) >')).not.toEqual([]);
  });

  it('names only series that exist in its rules', () => {
    for (const rule of rules) {
      for (const [name] of rule.expr.matchAll(/\bchorus_\w+/g)) {
        const family = name.replace(/_(bucket|count|sum)$/, '');
        expect({ alert: rule.alert, series: family, defined: defined.has(family) }).toEqual({
          alert: rule.alert,
          series: family,
          defined: true,
        });
      }
    }
  });
});
