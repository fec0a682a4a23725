import BellOutlined from '@ant-design/icons-svg/es/asn/BellOutlined';
import DownOutlined from '@ant-design/icons-svg/es/asn/DownOutlined';
import LogoutOutlined from '@ant-design/icons-svg/es/asn/LogoutOutlined';
import MenuOutlined from '@ant-design/icons-svg/es/asn/MenuOutlined';
import TranslationOutlined from '@ant-design/icons-svg/es/asn/TranslationOutlined';
import { lazy, Suspense, useEffect, useState } from 'react';
import { Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { isShopRole, useApp } from '../lib/app';
import { AntdZone, prefetchAntd } from '../lib/antdZone';
import { loadMyStatus, statusColor, type Availability } from '../lib/assignment';
import { earlyRoute } from '../lib/early';
import { useLatest } from '../lib/latest';
import { logFailure } from '../lib/logFailure';
import PlainButton from './PlainButton';
import PlainIcon from './PlainIcon';
import PlainSpin from './PlainSpin';

// antd's parts of the phone's header, each loaded when first used (its files are prefetched after the
// first paint): the menu's drawer, the availability switch's menu, the forced password change
const PhoneMenu = lazy(() => import('./PhoneMenu'));
const StatusSwitch = lazy(() => import('./StatusSwitch'));
const ForcePassword = lazy(() => import('../pages/ForcePassword'));

/**
 * The workbench on a phone (screens under 768 px; wider ones get Shell, antd's layout): a header of plain
 * elements in antd's look (the menu button, who is signed in and in which shop, availability, the bell,
 * the live dot, language, sign out) and the page. The list and a work order draw their first screen
 * without antd (docs/decisions.md, "A phone's first screen evaluates no antd"); other pages are drawn
 * inside antd's providers, loaded with them.
 */
export default function PhoneShell() {
  const { user, t, lang, setLang, logout, live, unread } = useApp();
  const loc = useLocation();
  const nav = useNavigate();
  const [menu, setMenu] = useState<boolean | null>(null); // null: the drawer never opened
  useEffect(() => {
    // antd's files, fetched (not run) once this first screen is on its way
    const timer = window.setTimeout(prefetchAntd, 1000);
    return () => clearTimeout(timer);
  }, []);

  if (!user) return <Navigate to="/login" replace state={{ from: loc.pathname + loc.search }} />;
  const forced = !!user.must_change_password; // nothing else works until they set their own password
  const plain = earlyRoute(loc.pathname) !== null; // the list and a work order need no antd at first
  const page = (
    <Suspense fallback={<PlainSpin />}>
      <Outlet />
    </Suspense>
  );

  return (
    <div className="phone-layout">
      <a className="skip-link" href="#main">
        {t('app.skip')}
      </a>
      <header className="app-header phone-header" role="banner">
        {!forced && <PlainButton variant="text" icon={MenuOutlined} aria-label={t('app.menu')} onClick={() => setMenu(true)} />}
        {/* on a phone the brand gives way to who is signed in and where */}
        <span className="who-sm" data-testid="who-sm">
          <b>{user.display_name}</b>
          <small>{user.shop_name ?? t(`role.${user.role}`)}</small>
        </span>
        <span className="spacer" />
        <span className="phone-tools">
          {isShopRole(user) && !forced && <PhoneStatus />}
          {!forced && (
            // the bell: unread notifications, live over the stream; opens the list
            <PlainButton
              variant="text"
              size="small"
              className="bell"
              onClick={() => nav('/notifications')}
              aria-label={t('notify.bellAria', { n: unread ?? 0 })}
              data-testid="bell"
              data-count={unread ?? ''}
            >
              <span className="pbadge">
                <PlainIcon icon={BellOutlined} style={{ fontSize: 18 }} />
                {!!unread && <sup className="pbadge-count">{unread > 99 ? '99+' : unread}</sup>}
              </span>
            </PlainButton>
          )}
          <span role="img" aria-label={live ? t('common.live') : t('common.offline')} title={live ? t('common.live') : t('common.offline')}>
            <span className={`pdot pdot-${live ? 'success' : 'default'}`} />
          </span>
          <PlainButton
            size="small"
            icon={TranslationOutlined}
            onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}
            lang={lang === 'zh' ? 'en' : 'zh'}
            title={t('app.langSwitch')}
            data-testid="lang-switch"
          >
            {t('app.lang')}
          </PlainButton>
          <PlainButton size="small" icon={LogoutOutlined} onClick={() => logout().then(() => nav('/login'))} aria-label={t('app.logout')}>
            <span className="hide-sm">{t('app.logout')}</span>
          </PlainButton>
        </span>
      </header>
      <main id="main" className="app-content" role="main" tabIndex={-1}>
        {forced ? (
          <AntdZone fallback={<PlainSpin />}>
            <Suspense fallback={<PlainSpin />}>
              <ForcePassword />
            </Suspense>
          </AntdZone>
        ) : plain ? (
          page
        ) : (
          <AntdZone fallback={<PlainSpin />}>{page}</AntdZone>
        )}
      </main>
      {menu !== null && (
        <AntdZone>
          <Suspense fallback={null}>
            <PhoneMenu open={menu} onClose={() => setMenu(false)} />
          </Suspense>
        </AntdZone>
      )}
    </div>
  );
}

/** The availability switch (StatusSwitch) as a plain button in its look until first pressed, then antd's menu. */
function PhoneStatus() {
  const { t } = useApp();
  const [me, setMe] = useState<Availability | null>(null);
  const [pressed, setPressed] = useState(false);
  const latest = useLatest();
  useEffect(() => {
    // on failure the switch stays hidden; nothing else depends on it
    latest(loadMyStatus()).then(setMe, (e) => logFailure('my availability (the switch is hidden)', e));
  }, [latest]);
  if (!me) return null;
  const label = t(`status.${me.status}`);
  const plain = (
    <PlainButton
      size="small"
      onClick={() => setPressed(true)}
      aria-label={t('status.aria', { status: label })}
      data-testid="status-switch"
      data-status={me.status}
    >
      <span className={`pdot pdot-${statusColor(me)}`} />
      <span className="hide-sm">{label}</span>
      <PlainIcon icon={DownOutlined} style={{ fontSize: 10 }} />
    </PlainButton>
  );
  if (!pressed) return plain;
  return (
    <AntdZone fallback={plain}>
      <Suspense fallback={plain}>
        <StatusSwitch initial={me} defaultOpen />
      </Suspense>
    </AntdZone>
  );
}
