import { PageHeader } from '../components/PageHeader';
import { Link } from '../router';

export function NotFoundPage() {
  return (
    <section>
      <PageHeader title="Page not found" />
      <p>
        There is no page at this address. <Link to="/">Go to the dashboard</Link>.
      </p>
    </section>
  );
}
