import { describe, expect, it } from 'vitest';
import { cannedToCsv, parseCannedCsv } from '../../../api/services/canned-csv.js';

describe('canned-response CSV', () => {
  it('reads a BOM, CRLF or LF, quoted line breaks, any column order, and gives the line each record starts on', () => {
    const csv = '\uFEFFTitle,Shortcut,Text\r\nHello,hi,"two\r\nlines"\r\nBad,,x\r\n\r\nAlso bad,has space,y\n';
    const parsed = parseCannedCsv(csv, 10);
    expect(parsed).toEqual({ ok: false, problems: [
      { line: 4, column: 'shortcut', message: 'shortcut: 1–32 letters, digits, _ or - (without the /)' },
      { line: 6, column: 'shortcut', message: 'shortcut: 1–32 letters, digits, _ or - (without the /)' },
    ] });
  });

  it('round-trips responses, taking off the apostrophe the export puts before formula-like cells', () => {
    const responses = [
      { id: '1', scope: 'org' as const, shortcut: '-x', title: '=1+1', text: 'line\n"quoted", comma', category: null, updatedAt: '' },
      { id: '2', scope: 'org' as const, shortcut: 'b', title: "'kept", text: '@home', category: '分类', updatedAt: '' },
    ];
    const csv = cannedToCsv(responses);
    expect(csv).toContain("'=1+1");
    const parsed = parseCannedCsv(csv.replace(/^\uFEFF/, ''), 10);
    expect(parsed).toEqual({ ok: true, rows: [
      { shortcut: '-x', title: '=1+1', text: 'line\n"quoted", comma', category: null },
      { shortcut: 'b', title: "'kept", text: '@home', category: '分类' },
    ] });
  });

  it('refuses a file with more rows than allowed, and a header it does not know', () => {
    expect(parseCannedCsv('shortcut,title,text\na,b,c\nd,e,f\n', 1)).toMatchObject({ ok: false, problems: [{ line: 0, message: 'the file has 2 rows; at most 1 may be imported' }] });
    expect(parseCannedCsv('shortcut,title,text,text\n', 5)).toMatchObject({ ok: false, problems: [{ line: 1, message: expect.stringContaining('named twice: text') }] });
  });
});
