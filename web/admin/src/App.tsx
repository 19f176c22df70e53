import { useEffect, type ReactNode } from 'react';
import { Layout } from './components/Layout';
import { Loading } from './components/Loading';
import { SessionExpiredDialog } from './components/SessionExpiredDialog';
import { useShellText } from './components/shell/shellText';
import { AccountPage } from './pages/AccountPage';
import { ApiKeysPage } from './pages/ApiKeysPage';
import { AuditPage } from './pages/AuditPage';
import { BackupsPage } from './pages/BackupsPage';
import { BulkOrdersPage } from './pages/BulkOrdersPage';
import { ClientPage } from './pages/ClientPage';
import { ClientsPage } from './pages/ClientsPage';
import { DashboardPage } from './pages/DashboardPage';
import { EnrolmentPage } from './pages/EnrolmentPage';
import { LoginPage } from './pages/LoginPage';
import { NewOrderPage } from './pages/NewOrderPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { OrderPage } from './pages/OrderPage';
import { OrdersPage } from './pages/OrdersPage';
import { PortraitPage } from './pages/PortraitPage';
import { PrintPage } from './pages/PrintPage';
import { StudioPage } from './pages/StudioPage';
import { SystemStatusPage } from './pages/SystemStatusPage';
import { UsersPage } from './pages/UsersPage';
import { match, navigate, safeNext, useLocation } from './router';
import { useSession } from './session';

type Params = Record<string, string>;

interface Route {
  pattern: string;
  render: (params: Params) => ReactNode;
  /** Rendered without the header and navigation (print view). */
  bare?: boolean;
}

const param = (params: Params, name: string) => params[name] ?? '';

const ROUTES: Route[] = [
  { pattern: '/', render: () => <DashboardPage /> },
  { pattern: '/orders', render: () => <OrdersPage /> },
  { pattern: '/orders/new', render: () => <NewOrderPage /> },
  { pattern: '/orders/bulk', render: () => <BulkOrdersPage /> },
  { pattern: '/orders/:id', render: (p) => <OrderPage orderId={param(p, 'id')} /> },
  { pattern: '/portraits/:id', render: (p) => <PortraitPage portraitId={param(p, 'id')} /> },
  {
    pattern: '/portraits/:id/print',
    render: (p) => <PrintPage portraitId={param(p, 'id')} />,
    bare: true,
  },
  { pattern: '/clients', render: () => <ClientsPage /> },
  { pattern: '/clients/:id', render: (p) => <ClientPage clientId={param(p, 'id')} /> },
  { pattern: '/studio', render: () => <StudioPage /> },
  { pattern: '/users', render: () => <UsersPage /> },
  { pattern: '/api-keys', render: () => <ApiKeysPage /> },
  { pattern: '/backups', render: () => <BackupsPage /> },
  { pattern: '/audit', render: () => <AuditPage /> },
  { pattern: '/system', render: () => <SystemStatusPage /> },
  { pattern: '/account', render: () => <AccountPage /> },
];

function resolve(path: string): { route: Route; params: Params } | null {
  for (const route of ROUTES) {
    const params = match(route.pattern, path);
    if (params !== null) return { route, params };
  }
  return null;
}

export function App() {
  const { status, enrolmentRequired } = useSession();
  const { locale, text } = useShellText();

  useEffect(() => {
    // Screen readers and hyphenation follow the chosen language, not the HTML file's.
    document.documentElement.lang = locale;
  }, [locale]);
  const location = useLocation();
  const { path, search } = location;

  // Deep links need a session: remember where the user was going, log in, then go there.
  useEffect(() => {
    if (status === 'anonymous' && path !== '/login') {
      const next = `${path}${search.size > 0 ? `?${search.toString()}` : ''}`;
      navigate(next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`, {
        replace: true,
      });
    }
    if (status === 'authenticated' && path === '/login') {
      navigate(safeNext(search.get('next')), { replace: true });
    }
  }, [status, path, search]);

  if (status === 'loading') {
    return (
      <main id="main" className="login-page">
        <Loading what={text.checkingSession} />
      </main>
    );
  }
  if (status === 'anonymous' || path === '/login') return <LoginPage />;
  // The studio's policy: nothing but the two-factor set-up until it is done.
  if (enrolmentRequired) {
    return (
      <>
        <EnrolmentPage />
        <SessionExpiredDialog />
      </>
    );
  }

  const found = resolve(path);
  if (found?.route.bare === true) {
    return (
      <>
        {found.route.render(found.params)}
        <SessionExpiredDialog />
      </>
    );
  }
  return (
    <>
      <Layout>{found === null ? <NotFoundPage /> : found.route.render(found.params)}</Layout>
      <SessionExpiredDialog />
    </>
  );
}
