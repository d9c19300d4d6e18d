import { createReadStream } from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';

/** A cell as read from the file: CSV gives text, XLSX may give numbers, booleans and dates. */
export type Cell = string | number | boolean | Date | null;

export interface SheetRow {
  /** The spreadsheet row number: the header is row 1. */
  rowNo: number;
  cells: Cell[];
}

export type FileFormat = 'csv' | 'xlsx';

/** Counts the bytes that pass, for progress: the reader is never further than one chunk ahead of the parser. */
function byteCounter(onBytes: (n: number) => void) {
  let total = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      total += chunk.length;
      onBytes(total);
      done(null, chunk);
    },
  });
}

/**
 * Bytes to text for CSV files: UTF-8 (with or without BOM) or, when the first chunk is not valid UTF-8, GB18030
 * (what Excel writes on Chinese Windows, a superset of GBK and GB2312).
 */
function textDecoder() {
  let decoder: TextDecoder | undefined;
  return new Transform({
    readableObjectMode: false,
    transform(chunk: Buffer, _enc, done) {
      if (!decoder) {
        const probe = new TextDecoder('utf-8', { fatal: true });
        try {
          probe.decode(chunk, { stream: true });
          decoder = new TextDecoder('utf-8');
        } catch {
          decoder = new TextDecoder('gb18030');
        }
      }
      done(null, decoder.decode(chunk, { stream: true }));
    },
    flush(done) {
      done(null, decoder?.decode() ?? '');
    },
  });
}

/** An ExcelJS cell value reduced to text, number, boolean or date (rich text, formulas and links flattened). */
function xlsxCell(v: ExcelJS.CellValue): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v instanceof Date) return v;
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((t) => t.text).join('');
    if ('result' in v) return xlsxCell((v as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue);
    if ('text' in v) return String((v as { text: unknown }).text);
    if ('error' in v) return null;
  }
  return String(v);
}

async function* csvRows(source: Readable): AsyncGenerator<SheetRow> {
  const parser = source.pipe(textDecoder()).pipe(parse({ bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: false }));
  let rowNo = 0;
  for await (const record of parser as AsyncIterable<string[]>) {
    rowNo += 1;
    yield { rowNo, cells: record };
  }
}

async function* xlsxRows(source: Readable): AsyncGenerator<SheetRow> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookReader(source, { worksheets: 'emit', sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'cache', entries: 'ignore' });
  for await (const sheet of workbook) {
    // the data sheet is the first one; later sheets (the template's instructions) are not read
    for await (const row of sheet) {
      const values = row.values as ExcelJS.CellValue[];
      const cells: Cell[] = [];
      for (let i = 1; i < values.length; i++) cells.push(xlsxCell(values[i]));
      yield { rowNo: row.number, cells };
    }
    break;
  }
}

/**
 * The rows of a CSV or XLSX file, streamed: memory stays flat whatever the file's size. `onBytes` reports how
 * many bytes of the file have been read, for progress.
 */
export async function* readRows(file: string, format: FileFormat, onBytes: (n: number) => void = () => {}): AsyncGenerator<SheetRow> {
  const stream = createReadStream(file, { highWaterMark: 256 * 1024 });
  const counted = stream.pipe(byteCounter(onBytes));
  try {
    yield* format === 'csv' ? csvRows(counted) : xlsxRows(counted);
  } finally {
    stream.destroy();
    counted.destroy();
  }
}

export const isBlankRow = (cells: Cell[]) => cells.every((c) => c === null || (typeof c === 'string' && c.trim() === ''));

/** The header row (row 1) as trimmed text; an empty first row or an unreadable file is an error for the caller. */
export async function readHeader(file: string, format: FileFormat): Promise<string[] | undefined> {
  for await (const row of readRows(file, format)) {
    if (row.rowNo !== 1 || isBlankRow(row.cells)) return undefined;
    return row.cells.map((c) => (c === null ? '' : c instanceof Date ? c.toISOString().slice(0, 10) : String(c)).trim());
  }
  return undefined;
}
