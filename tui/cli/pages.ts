// tui/cli/pages.ts — every page of a paged list route as one answer, for the commands that
// print or `--json` a whole list (snapshots, ls, trash, versions, errors, find, diff).
// `fetch(offset)` asks for one page (the caller passes `limit: MAX_LIMIT`); pages are
// fetched until one is empty, or `has_next` is false where the route has it, or else the
// items reach `total`.

type Paged = { total: number; items: unknown[]; has_next?: boolean };

/** All items of all pages; the other fields from the last page (`has_next` false). */
export async function allPages<P extends Paged>(fetch: (offset: number) => Promise<P>): Promise<P> {
  const items: Array<P['items'][number]> = [];
  for (;;) {
    const page = await fetch(items.length);
    items.push(...page.items);
    const more = page.has_next ?? items.length < page.total;
    if (page.items.length === 0 || !more) {
      return { ...page, items, ...(page.has_next === undefined ? {} : { has_next: false }) };
    }
  }
}
