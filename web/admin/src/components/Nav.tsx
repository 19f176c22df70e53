import { useEffect, useId, useState } from 'react';
import { useLocale, type Localized } from '../i18n';
import { Link, useLocation } from '../router';
import { useSession } from '../session';
import { Icon } from './Icon';

interface NavItem {
  to: string;
  /** Translated pages name themselves in the chosen language. */
  label: string | Localized;
  adminOnly?: boolean;
}

const ITEMS: NavItem[] = [
  { to: '/', label: 'Dashboard' },
  { to: '/orders', label: 'Orders' },
  { to: '/orders/new', label: 'New order' },
  { to: '/clients', label: 'Clients' },
  { to: '/studio', label: 'Studio', adminOnly: true },
  { to: '/users', label: 'Users', adminOnly: true },
  { to: '/backups', label: 'Backups', adminOnly: true },
  { to: '/audit', label: { en: 'Audit log', ru: 'Журнал аудита' }, adminOnly: true },
  { to: '/system', label: { en: 'System status', ru: 'Состояние системы' }, adminOnly: true },
  { to: '/api-keys', label: 'API keys' },
  { to: '/account', label: 'Account' },
];

function isCurrent(item: NavItem, path: string): boolean {
  if (item.to === '/') return path === '/';
  if (item.to === '/orders') return path === '/orders' || /^\/orders\/(?!new$)/.test(path);
  return path === item.to || path.startsWith(`${item.to}/`);
}

/**
 * The main navigation and who is logged in; on narrow screens both fold behind a Menu
 * button (closed again after each navigation).
 */
export function Nav() {
  const { user, logout } = useSession();
  const { path } = useLocation();
  const locale = useLocale();
  const [open, setOpen] = useState(false);
  const panelId = useId();

  useEffect(() => {
    setOpen(false);
  }, [path]);

  const items = ITEMS.filter((item) => item.adminOnly !== true || user?.role === 'admin');
  return (
    <nav className="nav" aria-label="Main">
      <button
        type="button"
        className="button nav-toggle"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => {
          setOpen((value) => !value);
        }}
      >
        <Icon name={open ? 'cross' : 'menu'} />
        Menu
      </button>
      <div id={panelId} className={open ? 'nav-panel nav-open' : 'nav-panel'}>
        <ul className="nav-list">
          {items.map((item) => (
            <li key={item.to}>
              <Link to={item.to} aria-current={isCurrent(item, path) ? 'page' : undefined}>
                {typeof item.label === 'string' ? (
                  item.label
                ) : (
                  <span lang={locale}>{item.label[locale]}</span>
                )}
              </Link>
            </li>
          ))}
        </ul>
        <div className="whoami">
          <span className="whoami-name">
            <span className="visually-hidden">Logged in as </span>
            {user?.username} <span className="role">({user?.role})</span>
          </span>
          <button
            type="button"
            className="button button-quiet"
            onClick={() => {
              void logout();
            }}
          >
            Log out
          </button>
        </div>
      </div>
    </nav>
  );
}
