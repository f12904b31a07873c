// Lists shown a page at a time (orders, households, lots, users, alerts): the one rule for which rows a page holds
// and how many pages there are. An empty list still has its first page, so the page never says "page 1 of 0".

/** The rows of page `page` (from 1): what a query skips and takes. */
export function pageRows(page: number, pageSize: number) {
  return { skip: (page - 1) * pageSize, take: pageSize };
}

/** How many pages `total` rows fill: at least one. */
export function pageCount(total: number, pageSize: number) {
  return Math.max(1, Math.ceil(total / pageSize));
}
