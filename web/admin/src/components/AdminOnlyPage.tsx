import type { ReactNode } from 'react';
import { useSession } from '../session';
import { Notice } from './ErrorNotice';
import { LanguageSwitch } from './LanguageSwitch';
import { PageHeader } from './PageHeader';

/** The words of a page only administrators use, in the page's language. */
export interface AdminOnlyText {
  title: string;
  lead: string;
  /** The label of the language switch. */
  language: string;
  /** Said to an operator instead of the page. */
  adminsOnly: string;
}

/** Whether the signed-in user may see an admin-only page (its data is not even asked for). */
export function useIsAdmin(): boolean {
  return useSession().user?.role === 'admin';
}

/**
 * The shell of a page only administrators use, in Russian or English: the header with the
 * page's actions and its language switch, then the page, or for anyone else a notice why not.
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
        {admin && actions}
        <LanguageSwitch label={text.language} />
      </PageHeader>
      {admin ? children : <Notice tone="info">{text.adminsOnly}</Notice>}
    </section>
  );
}
