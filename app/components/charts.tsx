// Charts for the work team's dashboard, drawn by recharts as SVG on the server. Recharts 2 is used because 3.x
// renders an empty wrapper on the server (recharts issue #5997); every chart has a fixed width/height and an id,
// so the server's markup needs no measuring and matches the browser's, and the SVG scales to its box through its
// viewBox (the wrapper's fixed pixel size is overridden), so it fits a 375 px phone. Only /team routes import this
// module, which keeps recharts out of the storefront's JavaScript. Each chart is hidden from screen readers, which
// read the table that follows it instead.
import type { ReactNode } from "react";
import { Bar, BarChart, CartesianGrid, Cell, LabelList, Line, LineChart, Pie, PieChart, XAxis, YAxis } from "recharts";
import { formatFen } from "~/domain/money";

const WIDTH = 360;
const FONT = 14;
const BRAND = "#15803d";
const MUTED = "#d6d3d1";
const box = "w-full [&_.recharts-wrapper]:!h-auto [&_.recharts-wrapper]:!w-full [&_svg]:!h-auto";

/** Whole yuan for an axis tick (the bars and the tables carry the exact amounts). */
const yuanTick = (fen: number) => formatFen(Math.round(fen / 100) * 100).replace(/\.00$/, "");

function ChartFigure({ title, table, children }: { title: string; table: ReactNode; children: ReactNode }) {
  return (
    <figure className="rounded-lg border border-stone-200 bg-white p-4">
      <figcaption className="mb-2 font-medium">{title}</figcaption>
      <div aria-hidden="true" className={box}>
        {children}
      </div>
      {table}
    </figure>
  );
}

const categoryTick =
  (anchor: "end" | "middle") =>
  ({ x, y, payload }: { x: number; y: number; payload: { value: string } }) => (
    <text x={x} y={y} dy={anchor === "end" ? 4 : 14} textAnchor={anchor} fontSize={FONT} fill="#44403c">
      {payload.value}
    </text>
  );

/** One horizontal bar per row (households on a phone read down, not across), the amount at the bar's end. */
export function HorizontalBars({
  id,
  title,
  rows,
  table,
}: {
  id: string;
  title: string;
  rows: { label: string; valueFen: number }[];
  table: ReactNode;
}) {
  const rowHeight = 26;
  return (
    <ChartFigure title={title} table={table}>
      <BarChart
        id={id}
        width={WIDTH}
        height={rows.length * rowHeight + 10}
        data={rows}
        layout="vertical"
        margin={{ top: 5, right: 96, bottom: 5, left: 4 }}
      >
        <XAxis type="number" hide domain={[0, "dataMax"]} />
        <YAxis type="category" dataKey="label" width={88} interval={0} tickLine={false} tick={categoryTick("end")} />
        <Bar dataKey="valueFen" fill={BRAND} barSize={16} isAnimationActive={false}>
          <LabelList dataKey="valueFen" position="right" fontSize={FONT} fill="#1c1917" formatter={(fen: number) => formatFen(fen)} />
        </Bar>
      </BarChart>
    </ChartFigure>
  );
}

/** The twelve months of a year as a line. */
export function MonthlyLine({
  id,
  title,
  rows,
  table,
}: {
  id: string;
  title: string;
  rows: { label: string; valueFen: number }[];
  table: ReactNode;
}) {
  return (
    <ChartFigure title={title} table={table}>
      <LineChart id={id} width={WIDTH} height={220} data={rows} margin={{ top: 10, right: 12, bottom: 4, left: 8 }}>
        <CartesianGrid stroke="#e7e5e4" vertical={false} />
        <XAxis dataKey="label" interval={0} tickLine={false} tick={categoryTick("middle")} />
        <YAxis width={64} tickFormatter={yuanTick} tick={{ fontSize: FONT - 1, fill: "#44403c" }} tickLine={false} allowDecimals={false} />
        <Line dataKey="valueFen" stroke={BRAND} strokeWidth={3} dot={{ r: 3 }} isAnimationActive={false} />
      </LineChart>
    </ChartFigure>
  );
}

/** A part of a whole as a donut, with the ratio written in its middle. */
export function Donut({
  id,
  title,
  part,
  total,
  centre,
  table,
}: {
  id: string;
  title: string;
  part: number;
  total: number;
  centre: string;
  table: ReactNode;
}) {
  const slices = [
    { name: "part", value: part },
    { name: "rest", value: Math.max(0, total - part) },
  ];
  return (
    <ChartFigure title={title} table={table}>
      <PieChart id={id} width={WIDTH} height={200}>
        <Pie
          data={total > 0 ? slices : [{ name: "rest", value: 1 }]}
          dataKey="value"
          cx="50%"
          cy="50%"
          innerRadius={60}
          outerRadius={90}
          startAngle={90}
          endAngle={-270}
          stroke="none"
          isAnimationActive={false}
        >
          {(total > 0 ? slices : [{ name: "rest" }]).map((slice) => (
            <Cell key={slice.name} fill={slice.name === "part" ? BRAND : MUTED} />
          ))}
        </Pie>
        <text x={WIDTH / 2} y={100} dy={8} textAnchor="middle" fontSize={24} fontWeight={600} fill="#1c1917">
          {centre}
        </text>
      </PieChart>
    </ChartFigure>
  );
}
