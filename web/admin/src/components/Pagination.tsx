import { useCommonText } from './commonText';

/** The words of the pager; the shared ones unless a page passes its own. */
export interface PaginationLabels {
  nav: string;
  previous: string;
  next: string;
  page: (page: number, pages: number) => string;
}

export function Pagination({
  total,
  limit,
  offset,
  onChange,
  labels,
}: {
  total: number;
  limit: number;
  offset: number;
  onChange: (offset: number) => void;
  labels?: PaginationLabels;
}) {
  const common = useCommonText();
  if (total <= limit && offset === 0) return null;
  const words = labels ?? { nav: common.pages, ...common };
  const page = Math.floor(offset / limit) + 1;
  const pages = Math.max(1, Math.ceil(total / limit));
  return (
    <nav className="pagination" aria-label={words.nav}>
      <button
        type="button"
        className="button"
        disabled={offset === 0}
        onClick={() => {
          onChange(Math.max(0, offset - limit));
        }}
      >
        {words.previous}
      </button>
      <span>{words.page(page, pages)}</span>
      <button
        type="button"
        className="button"
        disabled={offset + limit >= total}
        onClick={() => {
          onChange(offset + limit);
        }}
      >
        {words.next}
      </button>
    </nav>
  );
}
