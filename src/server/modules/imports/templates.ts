import ExcelJS from 'exceljs';
import { csvCell } from '../../platform/http/tabular.js';
import type { ImportKindDef } from './kinds/types.js';

/** Columns typed as text in the template, so Excel keeps long digit strings and leading zeros. */
const TEXT_FIELDS = /idNumber|IdNumber|phone|Phone|Code|code|creditCode|passportNo|otherRegNo/;

const headerText = (c: ImportKindDef<unknown>['columns'][number]) => (c.required ? `${c.header}*` : c.header);

/**
 * The Chinese template of a kind: the data sheet (header, one example row, text format for numbers that are
 * identifiers, drop-down lists for enumerations) and a sheet explaining every column.
 */
export async function templateXlsx(def: ImportKindDef<unknown>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Fengqiao';
  const sheet = wb.addWorksheet(def.title, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = def.columns.map((c) => ({
    header: headerText(c),
    key: c.field,
    width: Math.max(12, c.header.length * 2 + 4, c.example.length + 4),
    style: TEXT_FIELDS.test(c.field) ? { numFmt: '@' } : {},
  }));
  const head = sheet.getRow(1);
  head.font = { bold: true };
  def.columns.forEach((c, i) => {
    const cell = head.getCell(i + 1);
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: c.required ? 'FFFDE2E2' : 'FFE8F0FE' } };
    if (c.note) cell.note = c.note;
  });
  sheet.addRow(Object.fromEntries(def.columns.map((c) => [c.field, c.example])));
  def.columns.forEach((c, i) => {
    if (!c.values) return;
    const list = Object.values(c.values).join(',');
    const letter = sheet.getColumn(i + 1).letter;
    // a drop-down over the data rows (Excel limits the list to 255 characters)
    if (list.length <= 250) {
      for (let r = 2; r <= 2000; r++) {
        sheet.getCell(`${letter}${r}`).dataValidation = {
          type: 'list',
          allowBlank: true,
          formulae: [`"${list}"`],
          showErrorMessage: true,
          errorTitle: '取值无效',
          error: `请从列表中选择：${list}`,
        };
      }
    }
  });
  const help = wb.addWorksheet('填写说明');
  help.columns = [
    { header: '列名', width: 20 },
    { header: '是否必填', width: 10 },
    { header: '可选值', width: 40 },
    { header: '说明', width: 80 },
  ];
  help.getRow(1).font = { bold: true };
  for (const c of def.columns) help.addRow([c.header, c.required ? '必填' : '', c.values ? Object.values(c.values).join('、') : '', c.note]);
  help.addRow([]);
  for (const line of GENERAL_NOTES) help.addRow([line]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export const GENERAL_NOTES = [
  '1. 第 1 行为列名，不要修改；第 2 行为示例，导入前请删除或覆盖。只读取第一个工作表。',
  '2. 日期写作 2024-03-01（也接受 2024/3/1、2024年3月1日 和 Excel 日期）。',
  '3. 空白单元格表示“不修改已登记的内容”；重复导入同一文件不会产生重复记录。',
  '4. 导入前先“校验”：系统逐行列出问题（行号、列、内容、原因），确认后再导入。',
];

/** The same template as CSV (UTF-8 with BOM, opens in Excel): header and the example row. */
export function templateCsv(def: ImportKindDef<unknown>): string {
  const line = (cells: string[]) => cells.map(csvCell).join(',');
  return `\uFEFF${line(def.columns.map(headerText))}\r\n${line(def.columns.map((c) => c.example))}\r\n`;
}
