/**
 * The property for one answer, and the counts printed at the end: per category, how many requests
 * were sent, which statuses came back, how many differ from the documented status, how many broke
 * the property.
 */
import type { FuzzRequest, FuzzResponse } from './http-client';

export interface Verdict {
  /** Why the answer breaks the property, if it does. */
  violation?: string;
  /** 4xx but not among the statuses documented for this defect. */
  undocumented: boolean;
  /** No JSON error body, tolerated for a known gap. */
  bareAnswer: boolean;
}

function errorShapeProblem(body: unknown): string | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    return 'the body is not a JSON object';
  const keys = Object.keys(body);
  if (keys.length !== 1 || keys[0] !== 'error')
    return `top-level keys ${JSON.stringify(keys)}, expected ["error"]`;
  const error = (body as { error: unknown }).error;
  if (error === null || typeof error !== 'object' || Array.isArray(error)) return 'error is not an object';
  const e = error as Record<string, unknown>;
  const extra = Object.keys(e).filter((k) => !['code', 'message', 'fields'].includes(k));
  if (extra.length > 0) return `unexpected keys in error: ${extra.join(', ')}`;
  if (typeof e.code !== 'string' || e.code.length === 0) return 'error.code is not a non-empty string';
  if (typeof e.message !== 'string' || e.message.length === 0)
    return 'error.message is not a non-empty string';
  if (e.fields !== undefined) {
    if (e.fields === null || typeof e.fields !== 'object' || Array.isArray(e.fields))
      return 'error.fields is not an object';
    const bad = Object.entries(e.fields).find(([, v]) => typeof v !== 'string');
    if (bad) return `error.fields[${JSON.stringify(bad[0])}] is not a string`;
  }
  return undefined;
}

/**
 * The property: a 4xx status, and a JSON body `{ error: { code, message, fields? } }` with a JSON
 * content type; a 429 says when to retry. `tolerateBare` lets a known-gap answer skip the body check.
 */
export function judge(request: FuzzRequest, response: FuzzResponse, tolerateBare: boolean): Verdict {
  const verdict: Verdict = { undocumented: false, bareAnswer: false };
  if (response.status === 0) {
    verdict.violation = `no answer (${response.error ?? 'unknown'})`;
    return verdict;
  }
  if (response.status < 400 || response.status >= 500) {
    verdict.violation = `status ${response.status}`;
    return verdict;
  }
  if (request.expect && !request.expect.includes(response.status) && response.status !== 429) {
    verdict.undocumented = true;
  }
  if (response.status === 429 && !response.headers['retry-after']) {
    verdict.violation = '429 without Retry-After';
    return verdict;
  }
  const type = String(response.headers['content-type'] ?? '');
  let problem: string | undefined;
  if (!type.startsWith('application/json')) {
    problem = `content-type ${JSON.stringify(type)}, not JSON`;
  } else {
    try {
      problem = errorShapeProblem(JSON.parse(response.body.toString('utf8')));
    } catch {
      problem = 'the body does not parse as JSON';
    }
  }
  if (problem) {
    if (tolerateBare) verdict.bareAnswer = true;
    else verdict.violation = `status ${response.status} but ${problem}`;
  }
  return verdict;
}

export function describeFailure(
  request: FuzzRequest,
  response: FuzzResponse | undefined,
  why: string,
): string {
  const path =
    request.path.length > 160
      ? `${request.path.slice(0, 160)}… (${request.path.length} chars)`
      : request.path;
  const body = response?.body.toString('utf8') ?? '';
  return [
    `${request.category} → ${request.method} ${JSON.stringify(path)} [${request.route}]`,
    `  defect: ${request.defect}`,
    `  answer: ${why}${response?.status ? ` (after ${response.ms} ms)` : ''}`,
    body ? `  body: ${body.length > 300 ? `${body.slice(0, 300)}…` : body}` : '',
  ]
    .filter(Boolean)
    .join('\n');
}

interface Row {
  sent: number;
  skipped: number;
  statuses: Map<string, number>;
  undocumented: number;
  bare: number;
  violations: number;
  routes: Set<string>;
  slowestMs: number;
}

export class Tally {
  private readonly rows = new Map<string, Row>();
  private readonly gapsSkipped = new Map<string, number>();
  /** A few answers per category whose status differs from the documented one, for the report. */
  private readonly undocumentedExamples = new Map<string, string[]>();

  private row(category: string): Row {
    let row = this.rows.get(category);
    if (!row) {
      row = {
        sent: 0,
        skipped: 0,
        statuses: new Map(),
        undocumented: 0,
        bare: 0,
        violations: 0,
        routes: new Set(),
        slowestMs: 0,
      };
      this.rows.set(category, row);
    }
    return row;
  }

  skipped(request: FuzzRequest): void {
    this.row(request.category).skipped += 1;
    const gap = request.knownGap ?? '?';
    this.gapsSkipped.set(gap, (this.gapsSkipped.get(gap) ?? 0) + 1);
  }

  record(request: FuzzRequest, response: FuzzResponse, verdict: Verdict): void {
    const row = this.row(request.category);
    row.sent += 1;
    row.routes.add(request.route);
    const status = response.status === 0 ? 'none' : String(response.status);
    row.statuses.set(status, (row.statuses.get(status) ?? 0) + 1);
    if (verdict.undocumented) {
      row.undocumented += 1;
      const examples = this.undocumentedExamples.get(request.category) ?? [];
      if (examples.length < 3) {
        examples.push(
          `${response.status} (documented ${request.expect?.join('/')}) for ${request.defect.slice(0, 100)}`,
        );
        this.undocumentedExamples.set(request.category, examples);
      }
    }
    if (verdict.bareAnswer) row.bare += 1;
    if (verdict.violation) row.violations += 1;
    row.slowestMs = Math.max(row.slowestMs, response.ms);
  }

  routesOf(category: string): Set<string> {
    return this.rows.get(category)?.routes ?? new Set();
  }

  get total(): number {
    return [...this.rows.values()].reduce((n, r) => n + r.sent, 0);
  }

  skippedByGap(): ReadonlyMap<string, number> {
    return this.gapsSkipped;
  }

  undocumented(): string[] {
    return [...this.undocumentedExamples.entries()].flatMap(([category, list]) =>
      list.map((e) => `  ${category}: ${e}`),
    );
  }

  /** The table printed at the end of the run. */
  table(): string {
    const header = ['category', 'sent', 'statuses seen', 'not doc.', 'bare', 'skipped', 'FAILED', 'slowest'];
    const fmt = (m: Map<string, number>) =>
      [...m.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([s, n]) => `${s}×${n}`)
        .join(' ');
    const lines: string[][] = [...this.rows.entries()].map(([name, r]) => [
      name,
      String(r.sent),
      fmt(r.statuses),
      String(r.undocumented),
      String(r.bare),
      String(r.skipped),
      String(r.violations),
      `${r.slowestMs} ms`,
    ]);
    const all = new Map<string, number>();
    for (const r of this.rows.values()) for (const [s, n] of r.statuses) all.set(s, (all.get(s) ?? 0) + n);
    const sum = (f: (r: Row) => number) => String([...this.rows.values()].reduce((n, r) => n + f(r), 0));
    const total = [
      'TOTAL',
      sum((r) => r.sent),
      fmt(all),
      sum((r) => r.undocumented),
      sum((r) => r.bare),
      sum((r) => r.skipped),
      sum((r) => r.violations),
      `${Math.max(0, ...[...this.rows.values()].map((r) => r.slowestMs))} ms`,
    ];
    const widths = header.map((h, i) => Math.max(h.length, ...[...lines, total].map((l) => l[i].length)));
    const render = (cells: string[]) =>
      `| ${cells.map((c, i) => (i === 0 || i === 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
    const rule = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
    return [render(header), rule, ...lines.map(render), rule, render(total)].join('\n');
  }
}
