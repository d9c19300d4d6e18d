/**
 * A small RFC 4180 style CSV reader, sufficient for the bundled division
 * tables (and deliberately nothing more).
 *
 * - fields are separated by `,` and records by `\n` or `\r\n` (a lone `\r`
 *   is also accepted as a record separator);
 * - a field that starts with `"` is quoted: it runs to the next `"` that is
 *   not doubled, may contain `,`, `\r` and `\n`, and `""` inside it stands
 *   for one `"`;
 * - a leading UTF-8 byte order mark is ignored;
 * - a final line break does not produce an extra empty record, but blank
 *   lines elsewhere are kept as records with a single empty field so that
 *   callers can decide what to do with them.
 *
 * Malformed input (text after a closing quote, an unterminated quoted field,
 * a stray quote inside an unquoted field) raises a `CsvSyntaxError` with the
 * 1-based line number instead of silently producing shifted columns.
 */

export class CsvSyntaxError extends Error {
  readonly line: number;

  constructor(message: string, line: number) {
    super(`CSV 第 ${line} 行格式错误：${message}`);
    this.name = 'CsvSyntaxError';
    this.line = line;
  }
}

/** One parsed record and the 1-based line on which it starts. */
export interface CsvRecord {
  fields: string[];
  line: number;
}

function countNewlines(s: string): number {
  let count = 0;
  for (let k = s.indexOf('\n'); k !== -1; k = s.indexOf('\n', k + 1)) count += 1;
  return count;
}

export function parseCsv(text: string): string[][] {
  return parseCsvRecords(text).map((r) => r.fields);
}

export function parseCsvRecords(text: string): CsvRecord[] {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let record: string[] = [];
  let recordLine = 1;
  let field = '';
  let line = 1;
  let i = 0;
  const n = src.length;

  // `atFieldStart` is true right after a separator (or at the start of a
  // record), which is the only place where an opening quote is meaningful.
  let atFieldStart = true;

  const endRecord = (): void => {
    record.push(field);
    records.push({ fields: record, line: recordLine });
    record = [];
    field = '';
    atFieldStart = true;
  };

  while (i < n) {
    const ch = src[i];

    if (atFieldStart && ch === '"') {
      // Quoted field.
      const startLine = line;
      i += 1;
      for (;;) {
        const q = src.indexOf('"', i);
        if (q === -1) throw new CsvSyntaxError('引号字段没有结束', startLine);
        const chunk = src.slice(i, q);
        field += chunk;
        line += countNewlines(chunk);
        if (src[q + 1] === '"') {
          field += '"';
          i = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      // After a closing quote only a separator or the end may follow.
      if (i < n) {
        const next = src[i];
        if (next !== ',' && next !== '\n' && next !== '\r') {
          throw new CsvSyntaxError('引号字段结束后出现多余字符', line);
        }
      }
      atFieldStart = false;
      continue;
    }

    if (ch === ',') {
      record.push(field);
      field = '';
      atFieldStart = true;
      i += 1;
      continue;
    }

    if (ch === '\r' || ch === '\n') {
      endRecord();
      if (ch === '\r' && src[i + 1] === '\n') i += 1;
      i += 1;
      line += 1;
      recordLine = line;
      continue;
    }

    // Unquoted field content up to the next separator.
    let j = i;
    while (j < n) {
      const c = src.charCodeAt(j);
      if (c === 44 /* , */ || c === 10 /* \n */ || c === 13 /* \r */) break;
      if (c === 34 /* " */) throw new CsvSyntaxError('未加引号的字段中出现引号', line);
      j += 1;
    }
    field += src.slice(i, j);
    atFieldStart = false;
    i = j;
  }

  // Flush the last record unless the input ended with a line break (or was
  // empty), in which case there is nothing pending.
  if (!atFieldStart || record.length > 0) {
    endRecord();
  }
  return records;
}

/**
 * Parse CSV with a header row into objects keyed by the header names.
 * `required` lists the columns that must be present; a record with a
 * different number of fields than the header is an error. Blank lines are
 * skipped.
 */
export function parseCsvObjects(
  text: string,
  required: readonly string[] = [],
): Record<string, string>[] {
  const rows = parseCsvRecords(text);
  if (rows.length === 0) {
    throw new CsvSyntaxError('缺少表头', 1);
  }
  const header = rows[0].fields.map((h) => h.trim());
  for (const column of required) {
    if (!header.includes(column)) {
      throw new CsvSyntaxError(`缺少列 ${column}`, 1);
    }
  }
  const out: Record<string, string>[] = [];
  for (let r = 1; r < rows.length; r += 1) {
    const { fields: row, line } = rows[r];
    if (row.length === 1 && row[0] === '') continue; // blank line
    if (row.length !== header.length) {
      throw new CsvSyntaxError(
        `字段数为 ${row.length}，表头为 ${header.length}`,
        line,
      );
    }
    const obj: Record<string, string> = {};
    for (let c = 0; c < header.length; c += 1) obj[header[c]] = row[c];
    out.push(obj);
  }
  return out;
}
