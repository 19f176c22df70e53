/** The words of the pager; English unless a translated page passes its own. */
export interface PaginationLabels {
  nav: string;
  previous: string;
  next: string;
  page: (page: number, pages: number) => string;
}

const ENGLISH: PaginationLabels = {
  nav: 'Pages',
  previous: '← Previous',
  next: 'Next →',
  page: (page, pages) => `Page ${page} of ${pages}`,
};

export function Pagination({
  total,
  limit,
  offset,
  onChange,
  labels = ENGLISH,
}: {
  total: number;
  limit: number;
  offset: number;
  onChange: (offset: number) => void;
  labels?: PaginationLabels;
}) {
  if (total <= limit && offset === 0) return null;
  const page = Math.floor(offset / limit) + 1;
  const pages = Math.max(1, Math.ceil(total / limit));
  return (
    <nav className="pagination" aria-label={labels.nav}>
      <button
        type="button"
        className="button"
        disabled={offset === 0}
        onClick={() => {
          onChange(Math.max(0, offset - limit));
        }}
      >
        {labels.previous}
      </button>
      <span>{labels.page(page, pages)}</span>
      <button
        type="button"
        className="button"
        disabled={offset + limit >= total}
        onClick={() => {
          onChange(offset + limit);
        }}
      >
        {labels.next}
      </button>
    </nav>
  );
}
