import { Badge, Button, Drawer, Grid, Layout, Menu, Space, Tag, Tooltip, Typography } from 'antd';
import {
  ApiOutlined,
  BellOutlined,
  RobotOutlined,
  CommentOutlined,
  FilterOutlined,
  MessageOutlined,
  BarChartOutlined,
  DownloadOutlined,
  FieldTimeOutlined,
  FileAddOutlined,
  HomeOutlined,
  LogoutOutlined,
  MenuOutlined,
  NodeIndexOutlined,
  ProfileOutlined,
  SafetyOutlined,
  SettingOutlined,
  TeamOutlined,
  TranslationOutlined,
  UserOutlined,
  AppstoreOutlined,
} from '@ant-design/icons';
import { Suspense, useMemo, useState, type ReactNode } from 'react';
import { Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { isLead, isPlatform, isShopRole, useApp } from '../lib/app';
import type { MenuProps } from 'antd';
import { PLATFORM_VIEWS, type View } from '../lib/listParams';
import { useReassignCount } from '../lib/people';
import { filterPath, useSavedFilters } from '../lib/savedFilters';
import ForcePassword from '../pages/ForcePassword';
import PageSpin from './PageSpin';
import StatusSwitch from './StatusSwitch';

const { Header, Sider, Content } = Layout;

function badge(label: ReactNode, n: number | null | undefined, danger = false, testid?: string) {
  return (
    <span style={{ display: 'inline-flex', alignItems: 'center', justifyContent: 'space-between', width: '100%', gap: 8 }}>
      <span>{label}</span>
      {typeof n === 'number' && (
        <span data-testid={testid} data-count={n}>
          <Badge count={n} overflowCount={999} showZero color={danger && n > 0 ? '#cf1322' : n > 0 ? '#1668dc' : '#bfbfbf'} />
        </span>
      )}
    </span>
  );
}

export default function Shell() {
  const { user, t, lang, setLang, logout, counts, live, unread } = useApp();
  const loc = useLocation();
  const nav = useNavigate();
  const screens = Grid.useBreakpoint();
  const [drawer, setDrawer] = useState(false);
  const narrow = !screens.md;
  const lead = isLead(user) && !user?.must_change_password;
  // asked again when the shop's live counts move (a work order opened or finished) and on each page;
  // first once the counts are known (their arrival would otherwise ask twice on every first load)
  const reassign = useReassignCount(lead && counts !== null, `${counts?.shop}|${loc.pathname}`);
  const saved = useSavedFilters(isShopRole(user) && !user?.must_change_password);

  const items = useMemo<MenuProps['items']>(() => {
    if (!user) return [];
    const it: MenuProps['items'] = [];
    if (isShopRole(user)) {
      it.push({ key: '/', icon: <HomeOutlined />, label: t('nav.home') });
      const views: { v: View; n: number | null | undefined; danger?: boolean }[] = [
        { v: 'todo', n: counts?.todo },
        { v: 'created', n: counts?.created },
        { v: 'assigned', n: counts?.assigned },
      ];
      if (isLead(user)) views.push({ v: 'shop', n: counts?.shop });
      views.push({ v: 'overdue', n: counts?.overdue, danger: true });
      if (isLead(user)) views.push({ v: 'reassign', n: reassign?.n, danger: true });
      it.push({
        key: 'lists',
        icon: <ProfileOutlined />,
        label: t('nav.lists'),
        children: views.map(({ v, n, danger }) => ({
          key: `/list/${v}`,
          label: badge(t(`view.${v}`), n, danger, `badge-${v}`),
        })),
      });
      // 保存的筛选: each saved filter the reader may open, with its live count
      const usable = (saved ?? []).filter((f) => f.count !== null);
      if (usable.length)
        it.push({
          key: 'saved',
          icon: <FilterOutlined />,
          label: <span data-testid="nav-saved">{t('saved.title')}</span>,
          children: usable.map((f) => ({ key: filterPath(f), label: badge(f.name, f.count, false, `badge-saved-${f.id}`) })),
        });
      it.push({ key: '/new', icon: <FileAddOutlined />, label: t('nav.create') });
      it.push({ key: '/quickreplies', icon: <MessageOutlined />, label: <span data-testid="nav-quickreplies">{t('nav.quickreplies')}</span> });
      if (isLead(user)) {
        it.push({ key: '/targets', icon: <FieldTimeOutlined />, label: <span data-testid="nav-targets">{t('nav.targets')}</span> });
        it.push({ key: '/stats', icon: <BarChartOutlined />, label: t('nav.stats') });
        it.push({ key: '/export', icon: <DownloadOutlined />, label: t('nav.export') });
        it.push({ key: '/webhooks', icon: <ApiOutlined />, label: <span data-testid="nav-webhooks">{t('nav.webhooks')}</span> });
        it.push({ key: '/robots', icon: <RobotOutlined />, label: <span data-testid="nav-robots">{t('nav.robots')}</span> });
        it.push({ key: '/people', icon: <TeamOutlined />, label: <span data-testid="nav-people">{t('nav.people')}</span> });
        it.push({ key: '/types', icon: <AppstoreOutlined />, label: <span data-testid="nav-types">{t('nav.types')}</span> });
        it.push({ key: '/assignment', icon: <NodeIndexOutlined />, label: <span data-testid="nav-assignment">{t('nav.assignment')}</span> });
        it.push({ key: '/panel-settings', icon: <CommentOutlined />, label: <span data-testid="nav-panel-settings">{t('nav.panelSettings')}</span> });
      }
    }
    if (isPlatform(user)) {
      it.push({ key: '/collab/new', icon: <FileAddOutlined />, label: <span data-testid="nav-new-collab">{t('nav.newCollab')}</span> });
      it.push({
        key: 'platform',
        icon: <SafetyOutlined />,
        label: t('nav.platform'),
        children: PLATFORM_VIEWS.map((v) => ({
          key: `/platform/${v}`,
          label: badge(t(`view.${v}`), counts?.[v], v === 'intervention', `badge-${v}`),
        })),
      });
      if (user.role === 'platform_admin' || user.role === 'platform_supervisor') it.push({ key: '/rules', icon: <SettingOutlined />, label: t('nav.rules') });
      if (user.role === 'platform_admin')
        it.push({ key: '/platform-people', icon: <TeamOutlined />, label: <span data-testid="nav-platform-people">{t('nav.platformPeople')}</span> });
    }
    it.push({ key: '/account', icon: <UserOutlined />, label: <span data-testid="nav-account">{t('nav.account')}</span> });
    return it;
  }, [user, counts, reassign, saved, t]);

  if (!user) return <Navigate to="/login" replace state={{ from: loc.pathname + loc.search }} />;

  const selected = loc.pathname.startsWith('/wo/') ? [] : [loc.pathname, loc.pathname + loc.search];
  const forced = !!user.must_change_password; // nothing else works until they set their own password
  const menu = (
    <Menu
      mode="inline"
      items={items}
      selectedKeys={selected}
      defaultOpenKeys={['lists', 'saved', 'platform']}
      onClick={(e) => {
        nav(e.key);
        setDrawer(false);
      }}
      aria-label={t('app.menu')}
      style={{ borderInlineEnd: 0 }}
    />
  );

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <a className="skip-link" href="#main">
        {t('app.skip')}
      </a>
      {!narrow && !forced && (
        <Sider width={220} theme="light" style={{ borderRight: '1px solid #eef0f3' }}>
          <div style={{ padding: '16px 20px', fontWeight: 700, fontSize: 17, color: '#1668dc' }}>工单 gongdan</div>
          <nav aria-label={t('app.menu')}>{menu}</nav>
        </Sider>
      )}
      {narrow && (
        <Drawer open={drawer} onClose={() => setDrawer(false)} placement="left" size={260} title="工单 gongdan" styles={{ body: { padding: 0 } }}>
          <nav aria-label={t('app.menu')}>{menu}</nav>
        </Drawer>
      )}
      <Layout>
        <Header className="app-header" role="banner">
          {narrow && !forced && <Button type="text" icon={<MenuOutlined />} aria-label={t('app.menu')} onClick={() => setDrawer(true)} />}
          {narrow ? (
            // on a phone the brand gives way to who is signed in and where
            <span className="who-sm" data-testid="who-sm">
              <b>{user.display_name}</b>
              <small>{user.shop_name ?? t(`role.${user.role}`)}</small>
            </span>
          ) : (
            <span className="brand">{t('app.title')}</span>
          )}
          <span className="spacer" />
          <Space size={8} wrap={false}>
            {user.shop_name && (
              <Tag color="blue" className="hide-sm" data-testid="shop-name">
                {user.shop_name}
              </Tag>
            )}
            <Tag className="hide-sm" data-testid="role">
              {t(`role.${user.role}`)}
            </Tag>
            <Typography.Text className="hide-sm" data-testid="display-name">
              {user.display_name}
            </Typography.Text>
            {isShopRole(user) && !forced && <StatusSwitch />}
            {!forced && (
              // the bell: unread notifications, live over the stream; opens the list
              <Button
                type="text"
                size="small"
                className="bell"
                onClick={() => nav('/notifications')}
                aria-label={t('notify.bellAria', { n: unread ?? 0 })}
                data-testid="bell"
                data-count={unread ?? ''}
              >
                <Badge count={unread ?? 0} overflowCount={99} size="small">
                  <BellOutlined style={{ fontSize: 18 }} />
                </Badge>
              </Button>
            )}
            <Tooltip title={live ? t('common.live') : t('common.offline')}>
              <span role="img" aria-label={live ? t('common.live') : t('common.offline')}>
                <Badge status={live ? 'success' : 'default'} />
              </span>
            </Tooltip>
            <Button
              size="small"
              icon={<TranslationOutlined />}
              onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}
              lang={lang === 'zh' ? 'en' : 'zh'}
              title={t('app.langSwitch')}
              data-testid="lang-switch"
            >
              {t('app.lang')}
            </Button>
            <Button size="small" icon={<LogoutOutlined />} onClick={() => logout().then(() => nav('/login'))} aria-label={t('app.logout')}>
              <span className="hide-sm">{t('app.logout')}</span>
            </Button>
          </Space>
        </Header>
        <Content id="main" className="app-content" role="main" tabIndex={-1}>
          {forced ? (
            <ForcePassword />
          ) : (
            <Suspense fallback={<PageSpin />}>
              <Outlet />
            </Suspense>
          )}
        </Content>
      </Layout>
    </Layout>
  );
}
