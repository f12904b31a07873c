import type { PrintedCard } from "~/domain/households/card-schemas";
import { CARDS_PER_SHEET } from "~/domain/households/kinds";
import type { Messages } from "~/i18n/zh";

/** The words on a card: always the Chinese ones (the household's language), whatever the team's screen shows. */
export type CardFaceWords = Messages["cards"]["face"];

/**
 * Household cards on A4: two columns of four, each 97 × 70 mm inside an 8 mm page margin, with dashed edges to cut
 * along. Shown on screen as they will print; everything else on the page is hidden from the printer.
 */
export function CardSheet({ cards, words }: { cards: PrintedCard[]; words: CardFaceWords }) {
  const pages: PrintedCard[][] = [];
  for (let i = 0; i < cards.length; i += CARDS_PER_SHEET) pages.push(cards.slice(i, i + CARDS_PER_SHEET));
  return (
    <div className="overflow-x-auto print:overflow-visible" data-testid="card-sheet">
      <style>{"@page { size: A4; margin: 8mm; }"}</style>
      {pages.map((page, index) => (
        <section key={index} className="grid w-[194mm] grid-cols-2 bg-white break-after-page print:break-after-page">
          {page.map((card) => (
            <CardFace key={card.householdId} card={card} words={words} />
          ))}
        </section>
      ))}
    </div>
  );
}

function CardFace({ card, words }: { card: PrintedCard; words: CardFaceWords }) {
  return (
    <article
      className="flex h-[70mm] w-[97mm] break-inside-avoid gap-3 border border-dashed border-stone-400 p-[5mm] text-stone-900"
      data-testid="household-card"
      lang="zh-CN"
    >
      {/* The SVG comes from the QR library, drawn from our own URL, not from anything a user typed. */}
      <div
        className="h-[34mm] w-[34mm] shrink-0 self-center"
        role="img"
        aria-label={card.url}
        data-testid="card-qr"
        dangerouslySetInnerHTML={{ __html: card.qrSvg }}
      />
      <div className="flex min-w-0 flex-col justify-between">
        <p className="text-[8pt] text-stone-600">{words.brand}</p>
        <div>
          <p className="text-[20pt] font-bold leading-tight">{card.code}</p>
          <p className="text-[16pt] font-semibold">{card.name}</p>
          <p className="text-[10pt]">
            {card.village.name} {card.villageGroup}
          </p>
        </div>
        <p className="text-[10pt] font-medium">{words.scan}</p>
        <p className="text-[8pt] text-stone-600">{words.keep}</p>
      </div>
    </article>
  );
}
