import { PassThrough, Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { FastifyReply } from 'fastify';

/** A cell as Excel should show it: text that starts like a formula is kept inert. */
export function csvCell(v: unknown): string {
  const s = v === null || v === undefined ? '' : typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export type ExportFormat = 'csv' | 'xlsx';

/**
 * Streams rows to the client as CSV (UTF-8 with BOM, opens in Excel) or XLSX (exceljs streaming writer), so an
 * export of any size keeps memory flat. `rows` yields batches.
 */
export function sendTable(
  reply: FastifyReply,
  o: { format: ExportFormat; fileName: string; sheet: string; header: string[]; rows: AsyncIterable<unknown[][]> },
) {
  const disposition = (ext: string) =>
    `attachment; filename="export.${ext}"; filename*=UTF-8''${encodeURIComponent(`${o.fileName}.${ext}`)}`;
  if (o.format === 'csv') {
    async function* lines() {
      yield `\uFEFF${o.header.map(csvCell).join(',')}\r\n`;
      for await (const batch of o.rows) yield batch.map((r) => `${r.map(csvCell).join(',')}\r\n`).join('');
    }
    reply.type('text/csv; charset=utf-8').header('content-disposition', disposition('csv'));
    return reply.send(Readable.from(lines()));
  }
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true });
  const sheet = workbook.addWorksheet(o.sheet);
  sheet.columns = o.header.map((h) => ({ header: h, width: Math.max(10, h.length * 2 + 4) }));
  sheet.getRow(1).font = { bold: true };
  void (async () => {
    try {
      for await (const batch of o.rows) for (const r of batch) sheet.addRow(r).commit();
      sheet.commit();
      await workbook.commit();
    } catch (e) {
      out.destroy(e as Error);
    }
  })();
  reply
    .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    .header('content-disposition', disposition('xlsx'));
  return reply.send(out);
}

/**
 * A registry list as a dated file named after it (实有人口-2026-11-22.xlsx), with the audited row count in
 * `x-total-count`.
 */
export function sendListExport(
  reply: FastifyReply,
  o: { format: ExportFormat | undefined; title: string; header: string[]; total: number; rows: AsyncIterable<unknown[][]> },
) {
  reply.header('x-total-count', o.total);
  return sendTable(reply, { format: o.format ?? 'xlsx', fileName: `${o.title}-${new Date().toISOString().slice(0, 10)}`, sheet: o.title, header: o.header, rows: o.rows });
}
