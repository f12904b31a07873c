// A village group (村民小组) is recorded as the village calls it: "二组", "第三村民小组", "12组". Read in English, the
// same text would put Chinese inside an English sentence, so a group named by its number reads "Group 2". A group
// with a name of its own (not a number) keeps it: it is a name, like the head of household's.
import type { Locale } from "~/i18n/i18n";

const DIGITS = "零一二三四五六七八九";

/** 1–99 written in Chinese numerals ("三", "十", "十二", "二十", "二十三") or digits; null for anything else. */
export function groupNumber(text: string): number | null {
  if (/^\d{1,2}$/.test(text)) return Number(text);
  const match = /^([一二三四五六七八九]?)(十?)([一二三四五六七八九]?)$/.exec(text);
  if (!match || text === "") return null;
  const [, first = "", ten, last = ""] = match;
  if (!ten) return first && !last ? DIGITS.indexOf(first) : null;
  return (first ? DIGITS.indexOf(first) : 1) * 10 + (last ? DIGITS.indexOf(last) : 0);
}

const GROUP = /^第?(.+?)(?:村民小组|小组|组)$/;

/** The village group as the reader's language names it. */
export function villageGroupName(group: string, locale: Locale): string {
  if (locale === "zh") return group;
  const number = groupNumber(GROUP.exec(group.trim())?.[1] ?? "");
  return number ? `Group ${number}` : group;
}
