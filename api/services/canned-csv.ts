import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { CANNED_LIMITS } from '../../domain/canned/expand.js';
import { CannedFieldsSchema, type CannedFields } from '../../domain/canned/schema.js';
import type { CannedResponse, CsvProblem } from '../../domain/contracts/rest.js';

/**
 * The CSV form of a canned-response list (docs/canned-responses.md): a header naming the columns
 * `shortcut,title,text,category` (any order; `category` may be left out), then one response per row.
 * UTF-8, a byte-order mark allowed, comma-separated, RFC 4180 quoting (a text may span lines).
 */
export const CSV_COLUMNS = ['shortcut', 'title', 'text', 'category'] as const;
type Column = (typeof CSV_COLUMNS)[number];
const REQUIRED: readonly Column[] = ['shortcut', 'title', 'text'];

// A cell starting with one of these is a formula to spreadsheet programs: the export prefixes it with
// an apostrophe (so opening the file runs nothing) and the import takes that apostrophe off again.
const FORMULA_START = /^[=+\-@\t\r]/;
const protect = (cell: string) => (FORMULA_START.test(cell) ? `'${cell}` : cell);
const unprotect = (cell: string) => (cell.startsWith("'") && FORMULA_START.test(cell.slice(1)) ? cell.slice(1) : cell);

export function cannedToCsv(responses: readonly CannedResponse[]): string {
  return stringify([
    [...CSV_COLUMNS],
    ...responses.map((r) => [r.shortcut, r.title, r.text, r.category ?? ''].map(protect)),
  ], { bom: true, record_delimiter: '\r\n' });
}

export type CsvParseResult = { ok: true; rows: CannedFields[] } | { ok: false; problems: CsvProblem[] };

const lineBreaks = (s: string) => (s.match(/\n/g) ?? []).length;

/**
 * Reads and checks every row; any problem (with its line: 1 is the header) fails the whole file, so an
 * import either takes all rows or none. A shortcut twice in the file is a problem on its second line.
 */
export function parseCannedCsv(input: string, maxRows: number): CsvParseResult {
  const problems: CsvProblem[] = [];
  type Parsed = { record: string[]; info: { lines: number }; raw: string };
  let records: Parsed[];
  try {
    // One kind of line break (csv-parse miscounts lines at a CRLF inside quotes); texts keep theirs as \n.
    records = parse(input.replace(/\r\n?/g, '\n'), {
      bom: true, info: true, raw: true, relax_column_count: true, skip_empty_lines: true, record_delimiter: '\n',
      skip_records_with_error: true,
      on_skip: (err) => {
        if (err) problems.push({ line: (err as { lines?: number }).lines ?? 0, column: null, message: `not valid CSV: ${err.message.split(' at line')[0]}` });
        return undefined;
      },
    }) as unknown as Parsed[];
  } catch (err) {
    return { ok: false, problems: [{ line: 0, column: null, message: `not valid CSV: ${(err as Error).message}` }] };
  }
  if (records.length === 0) return { ok: false, problems: [{ line: 1, column: null, message: `the file is empty: the first line names the columns (${CSV_COLUMNS.join(',')})` }] };

  const [header, ...body] = records;
  const names = header.record.map((h) => h.trim().toLowerCase());
  const unknown = names.filter((n) => !(CSV_COLUMNS as readonly string[]).includes(n));
  const missing = REQUIRED.filter((c) => !names.includes(c));
  const repeated = names.filter((n, i) => names.indexOf(n) !== i);
  if (unknown.length || missing.length || repeated.length) {
    const parts = [
      missing.length ? `missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}` : '',
      unknown.length ? `unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => JSON.stringify(u.slice(0, 40))).join(', ')}` : '',
      repeated.length ? `column${repeated.length > 1 ? 's' : ''} named twice: ${repeated.join(', ')}` : '',
    ].filter(Boolean);
    return { ok: false, problems: [{ line: 1, column: null, message: `header: ${parts.join('; ')} (expected ${CSV_COLUMNS.join(',')})` }, ...problems] };
  }
  if (body.length > maxRows) problems.push({ line: 0, column: null, message: `the file has ${body.length} rows; at most ${maxRows} may be imported` });

  const rows: CannedFields[] = [];
  const seen = new Map<string, number>();
  for (const r of body) {
    const line = r.info.lines - lineBreaks(r.raw.replace(/^\n+/, '').replace(/\n$/, '')); // raw may begin with skipped empty lines
    if (r.record.length !== names.length) {
      problems.push({ line, column: null, message: `${r.record.length} cells where the header has ${names.length}` });
      continue;
    }
    const cells = Object.fromEntries(names.map((n, i) => [n, unprotect(r.record[i])])) as Partial<Record<Column, string>>;
    const parsed = CannedFieldsSchema.safeParse({ ...cells, category: cells.category?.trim() ? cells.category : null });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const column = String(issue.path[0] ?? '') || null;
        const message = issue.message.startsWith(`${column}:`) ? issue.message.slice(column!.length + 1).trim() : issue.message;
        problems.push({ line, column, message: `${column ?? 'row'}: ${message}` });
      }
      continue;
    }
    const first = seen.get(parsed.data.shortcut);
    if (first !== undefined) {
      problems.push({ line, column: 'shortcut', message: `shortcut: /${parsed.data.shortcut} is already on line ${first}` });
      continue;
    }
    seen.set(parsed.data.shortcut, line);
    rows.push(parsed.data);
  }
  if (problems.length) return { ok: false, problems: problems.sort((a, b) => a.line - b.line) };
  return { ok: true, rows };
}

export const CSV_MAX_ROWS = Math.max(CANNED_LIMITS.orgCount, CANNED_LIMITS.personalCount);
