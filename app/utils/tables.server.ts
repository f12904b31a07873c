// Reports leave the shop as tables: one shape (ReportTable, money in fen), written as CSV or XLSX, and sent as a
// download by one function. An empty cell ("") stays empty in a money column: an amount not set is not ¥0.00. Excel and WPS open both with Chinese text intact.
import ExcelJS from "exceljs";
import { fenToYuanNumber, fenToYuanText } from "~/domain/money";

export type ReportTable = { sheet: string; header: string[]; rows: (string | number)[][]; moneyColumns: number[] };

/**
 * CSV as spreadsheet programs open it: UTF-8 with a byte-order mark (without it Excel reads Chinese as mojibake),
 * CRLF line ends, every field quoted. A leading =, +, - or @ is prefixed with ' so a buyer's name cannot run as a
 * formula in the reader's spreadsheet; a plain number (a negative amount like "-20.00") is left as it is.
 */
export function toCsv(rows: (string | number)[][]) {
  const field = (value: string | number) => {
    const text =
      typeof value === "number" || /^-?\d+(\.\d+)?$/.test(value) ? String(value) : /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
    return `"${text.replace(/"/g, '""')}"`;
  };
  return `\uFEFF${rows.map((row) => row.map(field).join(",")).join("\r\n")}\r\n`;
}

/** A report as CSV, money as plain yuan text ("88.00"). */
export function reportCsv(table: ReportTable) {
  return toCsv([
    table.header,
    ...table.rows.map((row) => row.map((cell, i) => (table.moneyColumns.includes(i) && cell !== "" ? fenToYuanText(Number(cell)) : cell))),
  ]);
}

/** One sheet: a bold header row, money columns (fen in the table) as yuan numbers shown with two decimals. */
export async function reportXlsx(table: ReportTable): Promise<Buffer> {
  return workbookXlsx([table]);
}

/** One sheet per table, each as reportXlsx writes it; a money column's cell that is text (a label, "") stays text. */
export async function workbookXlsx(tables: ReportTable[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  for (const table of tables) addSheet(workbook, table);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function addSheet(workbook: ExcelJS.Workbook, table: ReportTable) {
  const sheet = workbook.addWorksheet(table.sheet);
  sheet.addRow(table.header).font = { bold: true };
  for (const row of table.rows) {
    sheet.addRow(row.map((cell, i) => (table.moneyColumns.includes(i) && typeof cell === "number" ? fenToYuanNumber(cell) : cell)));
  }
  for (const index of table.moneyColumns) sheet.getColumn(index + 1).numFmt = "0.00";
  sheet.columns.forEach((column, i) => {
    const longest = Math.max(...[table.header[i] ?? "", ...table.rows.map((r) => String(r[i] ?? ""))].map((text) => [...text].length));
    column.width = Math.min(60, Math.max(8, longest * 2));
  });
  sheet.views = [{ state: "frozen", ySplit: 1 }];
}

export type TableFormat = "csv" | "xlsx";

/** The table as a private download named `<name>.<csv|xlsx>`. */
export async function tableDownload(table: ReportTable, name: string, format: TableFormat) {
  const xlsx = format === "xlsx";
  return new Response(xlsx ? new Uint8Array(await reportXlsx(table)) : reportCsv(table), {
    headers: {
      "Content-Type": xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${name}.${format}"`,
      "Cache-Control": "private, no-store",
    },
  });
}

/** Several tables as one XLSX workbook, a private download named `<name>.xlsx`. */
export async function workbookDownload(tables: ReportTable[], name: string) {
  return new Response(new Uint8Array(await workbookXlsx(tables)), {
    headers: {
      "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "Content-Disposition": `attachment; filename="${name}.xlsx"`,
      "Cache-Control": "private, no-store",
    },
  });
}
