// XLSX with exceljs: what Excel and WPS open directly, Chinese text intact (XLSX is UTF-8 XML by definition).
import ExcelJS from "exceljs";
import type { ReportTable } from "~/domain/group-orders/commands.server";

/** One sheet: a bold header row, money columns (fen in the table) as yuan numbers shown with two decimals. */
export async function reportXlsx(table: ReportTable): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(table.sheet);
  sheet.addRow(table.header).font = { bold: true };
  for (const row of table.rows) {
    // The one place money leaves integer fen: a spreadsheet cell is a number in yuan, for the organizer to sum.
    sheet.addRow(row.map((cell, i) => (table.moneyColumns.includes(i) ? Number(cell) / 100 : cell)));
  }
  for (const index of table.moneyColumns) sheet.getColumn(index + 1).numFmt = "0.00";
  sheet.columns.forEach((column, i) => {
    const longest = Math.max(...[table.header[i] ?? "", ...table.rows.map((r) => String(r[i] ?? ""))].map((text) => [...text].length));
    column.width = Math.min(60, Math.max(8, longest * 2));
  });
  sheet.views = [{ state: "frozen", ySplit: 1 }];
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
