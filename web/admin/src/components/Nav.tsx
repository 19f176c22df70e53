import { useEffect, useId, useState } from 'react';
import { Link, useLocation } from '../router';
import { useSession } from '../session';
import { Icon } from './Icon';
import { LanguageSwitch } from './LanguageSwitch';
import { useShellText, type NavPath } from './shell/shellText';

interface NavItem {
  to: NavPath;
  adminOnly?: boolean;
}

const ITEMS: NavItem[] = [
  { to: '/' },
  { to: '/orders' },
  { to: '/orders/new' },
  { to: '/orders/bulk' },
  { to: '/clients' },
  { to: '/studio', adminOnly: true },
  { to: '/users', adminOnly: true },
  { to: '/backups', adminOnly: true },
  { to: '/audit', adminOnly: true },
  { to: '/system', adminOnly: true },
  { to: '/api-keys' },
  { to: '/account' },
];

function isCurrent(item: NavItem, path: string): boolean {
  if (item.to === '/') return path === '/';
  if (item.to === '/orders') return path === '/orders' || /^\/orders\/(?!(new|bulk)$)/.test(path);
  return path === item.to || path.startsWith(`${item.to}/`);
}

/**
 * The main navigation, the language switch and who is logged in; on narrow screens they fold
 * behind a Menu button (closed again after each navigation).
 */
export function Nav() {
  const { user, logout } = useSession();
  const { path } = useLocation();
  const { text } = useShellText();
  const [open, setOpen] = useState(false);
  const panelId = useId();

  useEffect(() => {
    setOpen(false);
  }, [path]);

  const items = ITEMS.filter((item) => item.adminOnly !== true || user?.role === 'admin');
  return (
    <nav className="nav" aria-label={text.mainNav}>
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
        {text.menu}
      </button>
      <div id={panelId} className={open ? 'nav-panel nav-open' : 'nav-panel'}>
        <ul className="nav-list">
          {items.map((item) => (
            <li key={item.to}>
              <Link to={item.to} aria-current={isCurrent(item, path) ? 'page' : undefined}>
                {text.nav[item.to]}
              </Link>
            </li>
          ))}
        </ul>
        <LanguageSwitch label={text.language} />
        <div className="whoami">
          <span className="whoami-name">
            <span className="visually-hidden">{text.loggedInAs}</span>
            {user?.username}{' '}
            {user !== null && <span className="role">({text.roles[user.role]})</span>}
          </span>
          <button
            type="button"
            className="button button-quiet"
            onClick={() => {
              void logout();
            }}
          >
            {text.logOut}
          </button>
        </div>
      </div>
    </nav>
  );
}
