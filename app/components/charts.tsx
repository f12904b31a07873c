// The work team's charts, drawn as plain SVG on the server: no charting library and nothing measured in the browser,
// so they cost the page no JavaScript of their own. The SVGs have no viewBox that would scale them: text is drawn at
// the size of the text around it (the figure's), and things that spread across the chart are placed in percentages
// of its width, so a chart fills a 375 px phone and a desktop column alike with labels of the same size. Labels are
// laid out for the narrowest chart (MIN_WIDTH), wrapped rather than cut. Each SVG is an image with a title and a
// description, and each figure keeps its table, which carries every exact figure.
import { useId, type ReactNode } from "react";
import { formatFen } from "~/domain/money";

/** The narrowest a chart is drawn: a 375 px phone less the page's and the figure's padding. */
const MIN_WIDTH = 300;
/** The figure's text size (text-sm), which the charts' labels inherit. */
const FONT = 14;
const LINE = 20;
const BRAND = "#15803d";
const MUTED = "#e7e5e4";

/**
 * About how wide `text` is drawn at FONT px: CJK characters are square, Latin letters and digits about 0.62 of that
 * at most in the sans-serif faces the shop uses. On the generous side, so that what is laid out to fit does fit.
 */
function textWidth(text: string) {
  let ems = 0;
  for (const char of text) ems += /[\u2e80-\u9fff\uff00-\uffef\u3000-\u303f]/.test(char) ? 1 : 0.62;
  return ems * FONT;
}

/** `text` in lines no wider than `width`: broken between words, or between characters where there are no spaces. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const piece of text.match(/[\u2e80-\u9fff\uff00-\uffef]|[^\s\u2e80-\u9fff\uff00-\uffef]+|\s+/g) ?? []) {
    const next = line + piece;
    if (line.trim() && textWidth(next.trimEnd()) > width) {
      lines.push(line.trimEnd());
      line = piece.trimStart();
    } else {
      line = next;
    }
    while (textWidth(line) > width) {
      let cut = line.length - 1;
      while (cut > 1 && textWidth(line.slice(0, cut)) > width) cut--;
      lines.push(line.slice(0, cut));
      line = line.slice(cut);
    }
  }
  if (line.trim()) lines.push(line.trimEnd());
  return lines.length ? lines : [""];
}

const percent = (share: number) => `${Math.round(share * 10_000) / 100}%`;

/** A chart's figure: the title people read, the drawing (an image with its own title and description), its table. */
function ChartFigure({
  title,
  table,
  className = "",
  children,
}: {
  title: string;
  table: ReactNode;
  className?: string;
  children: ReactNode;
}) {
  return (
    <figure className={`min-w-0 rounded-lg border border-stone-200 bg-white p-4 text-sm ${className}`}>
      <figcaption className="mb-2 text-base font-medium">{title}</figcaption>
      {children}
      {table}
    </figure>
  );
}

/** The drawing: an image named by its title and described by its description, for screen readers. */
function ChartSvg({
  title,
  description,
  width = "100%",
  height,
  children,
}: {
  title: string;
  description: string;
  width?: number | string;
  height: number;
  children: ReactNode;
}) {
  const id = useId();
  return (
    <svg role="img" aria-labelledby={`${id}-title ${id}-desc`} width={width} height={height} className="block fill-stone-700">
      <title id={`${id}-title`}>{title}</title>
      <desc id={`${id}-desc`}>{description}</desc>
      {children}
    </svg>
  );
}

export type ChartRow = { label: string; valueFen: number };

/**
 * One bar per row, the label and the amount on the line above it: rows read down a phone, and a long label (a
 * unit's name in English) wraps instead of being cut. Bars are proportional to the largest amount; negative amounts
 * (more refunded than sold) draw no bar, and the amount says so.
 */
export function HorizontalBars({
  title,
  description,
  rows,
  table,
}: {
  title: string;
  description: string;
  rows: ChartRow[];
  table: ReactNode;
}) {
  const peak = Math.max(1, ...rows.map((row) => row.valueFen));
  const barHeight = 10;
  let y = 0;
  const laidOut = rows.map((row) => {
    const amount = formatFen(row.valueFen);
    const lines = wrap(row.label, MIN_WIDTH - textWidth(amount) - FONT);
    const top = y;
    y += lines.length * LINE + barHeight + 10;
    return { ...row, amount, lines, top };
  });
  return (
    // Not wider than a column a reader can follow from a label to its amount.
    <ChartFigure title={title} table={table} className="max-w-2xl">
      <ChartSvg title={title} description={description} height={y}>
        {laidOut.map((row) => (
          <g key={`${row.top}-${row.label}`}>
            <text y={row.top + LINE - 5}>
              {row.lines.map((line, i) => (
                <tspan key={i} x={0} dy={i === 0 ? 0 : LINE}>
                  {line}
                </tspan>
              ))}
            </text>
            <text x="100%" y={row.top + LINE - 5} textAnchor="end" className="fill-stone-900 tabular-nums">
              {row.amount}
            </text>
            <rect x={0} y={row.top + row.lines.length * LINE} width="100%" height={barHeight} rx={2} fill={MUTED} />
            {row.valueFen > 0 ? (
              <rect
                x={0}
                y={row.top + row.lines.length * LINE}
                width={percent(row.valueFen / peak)}
                height={barHeight}
                rx={2}
                fill={BRAND}
              />
            ) : null}
          </g>
        ))}
      </ChartSvg>
    </ChartFigure>
  );
}

/** The smallest 1, 2 or 5 × 10ⁿ yuan at or above `fen`, so the scale reads as a round amount. */
function roundScale(fen: number) {
  const yuan = Math.max(1, Math.ceil(fen / 100));
  const magnitude = 10 ** Math.floor(Math.log10(yuan));
  const step = [1, 2, 5, 10].find((m) => m * magnitude >= yuan)!;
  return step * magnitude * 100;
}

/**
 * The twelve months of a year as columns, the scale's top written above its line (columns never reach above it, so
 * nothing covers it) and the month numbers underneath.
 */
export function MonthlyColumns({
  title,
  description,
  rows,
  table,
}: {
  title: string;
  description: string;
  rows: ChartRow[];
  table: ReactNode;
}) {
  const peak = Math.max(0, ...rows.map((row) => row.valueFen));
  const scale = roundScale(peak);
  const top = LINE + 4;
  const plot = 140;
  const baseline = top + plot;
  const slot = 1 / rows.length;
  return (
    <ChartFigure title={title} table={table}>
      <ChartSvg title={title} description={description} height={baseline + LINE + 4}>
        {peak > 0 ? (
          <text x={0} y={LINE - 6} className="tabular-nums">
            {formatFen(scale).replace(/\.00$/, "")}
          </text>
        ) : null}
        <line x1="0" x2="100%" y1={top} y2={top} stroke={MUTED} />
        <line x1="0" x2="100%" y1={top + plot / 2} y2={top + plot / 2} stroke={MUTED} strokeDasharray="4 4" />
        {rows.map((row, i) => {
          const height = Math.round((Math.max(0, row.valueFen) / scale) * plot);
          return (
            <g key={row.label}>
              {height > 0 ? (
                <rect x={percent((i + 0.15) * slot)} y={baseline - height} width={percent(0.7 * slot)} height={height} fill={BRAND} />
              ) : null}
              <text x={percent((i + 0.5) * slot)} y={baseline + LINE} textAnchor="middle">
                {row.label}
              </text>
            </g>
          );
        })}
        <line x1="0" x2="100%" y1={baseline} y2={baseline} stroke="#a8a29e" />
      </ChartSvg>
    </ChartFigure>
  );
}

/** A part of a whole as a ring, the share written in its middle. */
export function Donut({
  title,
  description,
  part,
  total,
  table,
}: {
  title: string;
  description: string;
  part: number;
  total: number;
  table: ReactNode;
}) {
  const size = 160;
  const radius = 60;
  const circumference = 2 * Math.PI * radius;
  const share = total > 0 ? part / total : 0;
  return (
    <ChartFigure title={title} table={table}>
      <div className="flex justify-center">
        <ChartSvg title={title} description={description} width={size} height={size}>
          <circle cx={size / 2} cy={size / 2} r={radius} fill="none" stroke={MUTED} strokeWidth={24} />
          {share > 0 ? (
            <circle
              cx={size / 2}
              cy={size / 2}
              r={radius}
              fill="none"
              stroke={BRAND}
              strokeWidth={24}
              strokeDasharray={`${share * circumference} ${circumference}`}
              transform={`rotate(-90 ${size / 2} ${size / 2})`}
            />
          ) : null}
          <text x={size / 2} y={size / 2} dy="0.35em" textAnchor="middle" fontSize={24} fontWeight={600} className="fill-stone-900">
            {`${Math.round(share * 100)}%`}
          </text>
        </ChartSvg>
      </div>
    </ChartFigure>
  );
}

/**
 * A unit's year against its target: one bar, the counted part filled (capped at the bar's end when the target is
 * passed), the amounts written above it. Without a target the bar is empty and the amount stands alone.
 */
export function TargetBar({
  title,
  description,
  countedFen,
  targetFen,
  caption,
}: {
  title: string;
  description: string;
  countedFen: number;
  targetFen: number | null;
  caption: string;
}) {
  const barHeight = 16;
  const share = targetFen ? Math.min(1, Math.max(0, countedFen / targetFen)) : 0;
  return (
    <ChartFigure title={title} table={null} className="max-w-2xl">
      <ChartSvg title={title} description={description} height={LINE + barHeight + 6}>
        <text y={LINE - 5} className="fill-stone-900 tabular-nums" data-testid="target-bar-counted">
          {formatFen(countedFen)}
        </text>
        <text x="100%" y={LINE - 5} textAnchor="end" className="tabular-nums">
          {caption}
        </text>
        <rect x={0} y={LINE} width="100%" height={barHeight} rx={3} fill={MUTED} />
        {share > 0 ? <rect x={0} y={LINE} width={percent(share)} height={barHeight} rx={3} fill={BRAND} /> : null}
      </ChartSvg>
    </ChartFigure>
  );
}
