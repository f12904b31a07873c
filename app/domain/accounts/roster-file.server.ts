// Reading a unit's roster file (XLSX or CSV) into rows of cells, before anything is checked against the database.
// The file's bytes decide what it is, not its name: an XLSX is a zip, a CSV is UTF-8 text. A cell holding a formula
// is kept with a mark rather than evaluated, so the preview can refuse it (a formula can smuggle content into the
// next spreadsheet that opens the data).
import ExcelJS from "exceljs";
import { DomainError } from "~/domain/errors";

/** A unit's roster: the bureau's biggest unit has a few hundred people, the whole bureau ~2,000. */
export const MAX_ROSTER_ROWS = 5_000;
export const MAX_ROSTER_BYTES = 2 * 1024 * 1024;

export type RosterCell = { text: string; formula: boolean };
export type RosterLine = { line: number; cells: RosterCell[] };

const fileRefusal = (code: "notSpreadsheet" | "notUtf8" | "empty" | "tooManyRows" | "tooBig", params?: Record<string, number>) =>
  new DomainError(`roster.errors.${code}`, { status: code === "tooBig" ? 413 : 422, field: "file", params });

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

function isZip(bytes: Uint8Array) {
  return ZIP_MAGIC.every((byte, i) => bytes[i] === byte);
}

/** Every non-blank row of the file's first sheet, with its row number as the spreadsheet shows it. */
export async function readRosterLines(file: Blob): Promise<RosterLine[]> {
  if (file.size > MAX_ROSTER_BYTES) throw fileRefusal("tooBig", { max: MAX_ROSTER_BYTES / (1024 * 1024) });
  const bytes = new Uint8Array(await file.arrayBuffer());
  if (bytes.length === 0) throw fileRefusal("empty");
  const lines = isZip(bytes) ? await readXlsx(bytes) : readCsv(bytes);
  const filled = lines.filter((line) => line.cells.some((cell) => cell.text !== ""));
  if (filled.length === 0) throw fileRefusal("empty");
  return filled;
}

async function readXlsx(bytes: Uint8Array): Promise<RosterLine[]> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  } catch {
    throw fileRefusal("notSpreadsheet");
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw fileRefusal("empty");
  // One header row on top of the limit; counted before reading so a huge sheet is refused without walking it.
  if (sheet.actualRowCount > MAX_ROSTER_ROWS + 1) throw fileRefusal("tooManyRows", { max: MAX_ROSTER_ROWS });
  const lines: RosterLine[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, line) => {
    const cells: RosterCell[] = [];
    for (let column = 1; column <= Math.min(row.cellCount, 20); column++) cells.push(xlsxCell(row.getCell(column)));
    lines.push({ line, cells });
  });
  return lines;
}

function xlsxCell(cell: ExcelJS.Cell): RosterCell {
  if (cell.type === ExcelJS.ValueType.Formula) return { text: String(cell.formula ?? ""), formula: true };
  const value = cell.value;
  if (value === null || value === undefined) return { text: "", formula: false };
  if (typeof value === "number") return { text: Number.isInteger(value) ? value.toFixed(0) : String(value), formula: false };
  if (typeof value === "object" && "richText" in value)
    return {
      text: value.richText
        .map((run) => run.text)
        .join("")
        .trim(),
      formula: false,
    };
  if (typeof value === "object" && "text" in value) return { text: String(value.text).trim(), formula: false };
  return { text: String(cell.text ?? value).trim(), formula: false };
}

function readCsv(bytes: Uint8Array): RosterLine[] {
  if (bytes.includes(0)) throw fileRefusal("notSpreadsheet");
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw fileRefusal("notUtf8");
  }
  const rows = parseCsv(text);
  if (rows.length > MAX_ROSTER_ROWS + 1) throw fileRefusal("tooManyRows", { max: MAX_ROSTER_ROWS });
  return rows.map((cells, index) => ({
    line: index + 1,
    // A spreadsheet would run a cell starting with "=" or "@" as a formula; such a cell is refused, not imported.
    cells: cells.map((raw) => ({ text: raw.trim(), formula: /^[=@]/.test(raw.trim()) })),
  }));
}

/** RFC 4180: commas, quoted fields with doubled quotes and line breaks inside, CRLF or LF line ends. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"' && field === "") quoted = true;
    else if (char === ",") {
      row.push(field);
      field = "";
    } else if (char === "\n" || char === "\r") {
      if (char === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += char;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
