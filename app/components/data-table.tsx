import type { ReactNode } from "react";

export type Column<Row> = { header: string; cell: (row: Row) => ReactNode; numeric?: boolean };

/**
 * Rows of figures: a table from 640 px up (and on paper), a card per row below that, where the columns would not fit
 * a phone. The card names each value by its column's header, the first column's value heading the card. Only one of
 * the two is displayed, so screen readers and search read each row once. For display only: a form in a cell would
 * be rendered twice.
 */
export function DataTable<Row>({
  columns,
  rows,
  rowKey,
  caption,
  className = "",
}: {
  columns: [Column<Row>, ...Column<Row>[]];
  rows: Row[];
  rowKey: (row: Row) => string;
  caption?: string;
  className?: string;
}) {
  const [first, ...rest] = columns;
  return (
    <>
      <table className={`hidden w-full rounded-lg border border-stone-200 bg-white text-sm sm:table print:table ${className}`}>
        {caption ? <caption className="sr-only">{caption}</caption> : null}
        <thead className="text-left text-stone-600">
          <tr>
            {columns.map((column) => (
              <th key={column.header} scope="col" className={`p-2 font-medium ${column.numeric ? "text-right" : ""}`}>
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-stone-100">
          {rows.map((row) => (
            <tr key={rowKey(row)} className="break-inside-avoid">
              {columns.map((column) => (
                <td key={column.header} className={`p-2 ${column.numeric ? "text-right tabular-nums" : ""}`}>
                  {column.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <ul
        aria-label={caption}
        className={`divide-y divide-stone-100 rounded-lg border border-stone-200 bg-white text-sm sm:hidden print:hidden ${className}`}
      >
        {rows.map((row) => (
          <li key={rowKey(row)} className="space-y-1 p-3">
            <div className="font-medium">{first.cell(row)}</div>
            <dl className="grid grid-cols-[fit-content(40%)_minmax(0,1fr)] gap-x-3 gap-y-0.5">
              {rest.map((column) => (
                <div key={column.header} className="contents">
                  <dt className="text-stone-600">{column.header}</dt>
                  <dd className={`min-w-0 break-words ${column.numeric ? "text-right tabular-nums" : ""}`}>{column.cell(row)}</dd>
                </div>
              ))}
            </dl>
          </li>
        ))}
      </ul>
    </>
  );
}

/**
 * A table wider than a phone, scrolled sideways inside its own box. The box takes keyboard focus so the hidden columns
 * can be reached without a pointer (WCAG 2.1.1; axe's scrollable-region-focusable), and is named for screen readers.
 */
export function ScrollRegion({ label, children, className = "" }: { label: string; children: ReactNode; className?: string }) {
  return (
    <div
      role="region"
      aria-label={label}
      // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex -- a scrolled region must be reachable by keyboard
      tabIndex={0}
      className={`overflow-x-auto focus-visible:outline-2 focus-visible:outline-brand-700 ${className}`}
    >
      {children}
    </div>
  );
}
