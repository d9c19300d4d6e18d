import { describe, expect, it } from 'vitest';
import { CsvSyntaxError, parseCsv, parseCsvObjects, parseCsvRecords } from './csv.js';

describe('parseCsv', () => {
  it('reads the shape of the division files', () => {
    expect(parseCsv('code,name\n11,"北京市"\n12,"天津市"\n')).toEqual([
      ['code', 'name'],
      ['11', '北京市'],
      ['12', '天津市'],
    ]);
  });

  it('handles commas, doubled quotes and line breaks inside quotes', () => {
    expect(parseCsv('a,"b,c","say ""hi""","line1\nline2",e')).toEqual([
      ['a', 'b,c', 'say "hi"', 'line1\nline2', 'e'],
    ]);
    expect(parseCsv('"",""""')).toEqual([['', '"']]);
  });

  it('handles CRLF, lone CR, a BOM and a missing final newline', () => {
    expect(parseCsv('\ufeffa,b\r\n1,2\r\n')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect(parseCsv('a\rb')).toEqual([['a'], ['b']]);
    expect(parseCsv('a,b\n1,2')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('keeps empty fields and blank lines', () => {
    expect(parseCsv('a,,c\n,\n\nx')).toEqual([['a', '', 'c'], ['', ''], [''], ['x']]);
    expect(parseCsv('')).toEqual([]);
    expect(parseCsv('a,')).toEqual([['a', '']]);
  });

  it('reports the starting line of each record', () => {
    const recs = parseCsvRecords('h\n"multi\nline"\nlast\n');
    expect(recs.map((r) => r.line)).toEqual([1, 2, 4]);
  });

  it('rejects malformed quoting with a line number', () => {
    expect(() => parseCsv('a\n"unterminated')).toThrow(CsvSyntaxError);
    expect(() => parseCsv('a\n"x"y')).toThrow(/第 2 行/);
    expect(() => parseCsv('a\nb"c')).toThrow(CsvSyntaxError);
  });
});

describe('parseCsvObjects', () => {
  it('maps records onto header names and skips blank lines', () => {
    expect(parseCsvObjects('code,name\n11,"北京市"\n\n12,"天津市"\n', ['code'])).toEqual([
      { code: '11', name: '北京市' },
      { code: '12', name: '天津市' },
    ]);
  });

  it('requires the listed columns and consistent field counts', () => {
    expect(() => parseCsvObjects('code,name\n11,x\n', ['provinceCode'])).toThrow(/provinceCode/);
    expect(() => parseCsvObjects('code,name\n11,x\n12\n')).toThrow(/第 3 行/);
    expect(() => parseCsvObjects('')).toThrow(CsvSyntaxError);
  });
});
