import type { TopPortraits } from '../../api';
import { useFormat } from '../../format';
import { usePortraitName } from '../../portraitName';
import { Link } from '../../router';
import { useAnalyticsText } from './analyticsText';

/** The most viewed portraits of the period, named by client and date, linking to each. */
export function TopPortraitsList({ top }: { top: TopPortraits }) {
  const text = useAnalyticsText();
  const format = useFormat();
  const name = usePortraitName();
  return (
    <section className="top-portraits" aria-label={text.top}>
      <h3>{text.top}</h3>
      {top.items.length === 0 ? (
        <p className="muted">{text.topEmpty}</p>
      ) : (
        <ol className="plain-list top-portraits-list">
          {top.items.map((item) => (
            <li key={item.portraitId} data-portrait-id={item.portraitId}>
              <Link to={`/portraits/${item.portraitId}`}>
                {name(item.clientName, item.createdAt)}
              </Link>
              <span className="muted">
                {' '}
                {text.views(item.pageViews, format.number(item.pageViews))}
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
