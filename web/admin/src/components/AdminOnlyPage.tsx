import type { ReactNode } from 'react';
import { useSession } from '../session';
import { Notice } from './ErrorNotice';
import { PageHeader } from './PageHeader';

/** The words of a page only administrators use, in the page's language. */
export interface AdminOnlyText {
  title: string;
  lead: string;
  /** Said to an operator instead of the page. */
  adminsOnly: string;
}

/** Whether the signed-in user may see an admin-only page (its data is not even asked for). */
export function useIsAdmin(): boolean {
  return useSession().user?.role === 'admin';
}

/**
 * The shell of a page only administrators use, in Russian or English (the language switch is
 * in the app's header): the header with the page's actions, then the page, or for anyone else
 * a notice why not.
 */
export function AdminOnlyPage({
  locale,
  text,
  actions,
  children,
}: {
  locale: string;
  text: AdminOnlyText;
  actions?: ReactNode;
  children: ReactNode;
}) {
  const admin = useIsAdmin();
  return (
    <section lang={locale}>
      <PageHeader title={text.title} subtitle={text.lead}>
        {admin ? actions : undefined}
      </PageHeader>
      {admin ? children : <Notice tone="info">{text.adminsOnly}</Notice>}
    </section>
  );
}
