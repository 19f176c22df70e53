import { PageHeader } from '../components/PageHeader';
import { useShellText } from '../components/shell/shellText';
import { Link } from '../router';

export function NotFoundPage() {
  const { text } = useShellText();
  return (
    <section>
      <PageHeader title={text.notFound} />
      <p>
        {text.notFoundText} <Link to="/">{text.toDashboard}</Link>.
      </p>
    </section>
  );
}
