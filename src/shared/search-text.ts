/**
 * Folds text for case-insensitive search in SQL on both dialects: SQLite's `lower()`/`LIKE`
 * only fold ASCII and PostgreSQL's depend on the database locale, so names are folded here
 * (Unicode-aware) and stored beside the original. `ё` matches `е`, as people type it.
 */
export function foldForSearch(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/ё/g, 'е').replace(/\s+/g, ' ').trim();
}

/** Escapes `%`, `_` and `\` for a `LIKE … ESCAPE '\'` pattern. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
