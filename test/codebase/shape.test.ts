/**
 * The shape the codebase keeps: no source file over 450 lines unless its first line says why, the
 * invoice workflow function short, and nothing read from outside the repository.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');
const MAX_LINES = 450;
/** The first line of a long file says why it is long. */
const REASON = /^\/\/ Long by nature: .{10,}/;

const sources = execFileSync('git', ['ls-files', '*.ts', '*.js', '*.mjs'], { cwd: root, encoding: 'utf8' })
  .split('\n')
  .filter((f) => f && !f.startsWith('test/') && !f.startsWith('clients/typescript/src/schema.ts'));

describe('codebase shape', () => {
  it(`keeps every source file under ${MAX_LINES} lines, or says why on its first line`, () => {
    const long = sources
      .map((file) => ({ file, text: readFileSync(path.join(root, file), 'utf8') }))
      .filter(({ text }) => text.split('\n').length > MAX_LINES)
      .filter(({ text }) => !REASON.test(text.split('\n')[0]))
      .map(({ file, text }) => `${file}: ${text.split('\n').length} lines`);
    expect(long).toEqual([]);
  });

  it('keeps the invoice workflow function under 150 lines', () => {
    const text = readFileSync(path.join(root, 'workflows/invoice/workflow.ts'), 'utf8').split('\n');
    const start = text.findIndex((l) => l.startsWith('export async function invoiceWorkflow'));
    const end = text.findIndex((l, i) => i > start && l === '}');
    expect(start).toBeGreaterThanOrEqual(0);
    expect(end - start).toBeLessThan(150);
  });

  it('reads nothing from outside the repository', () => {
    const outside = sources.filter((file) =>
      /\.\.\/shared\b|\/work\/shared/.test(readFileSync(path.join(root, file), 'utf8')),
    );
    expect(outside).toEqual([]);
  });
});
