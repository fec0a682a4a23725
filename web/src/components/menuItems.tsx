import { Badge } from 'antd';
import type { MenuProps } from 'antd';
import {
  ApiOutlined,
  RobotOutlined,
  CommentOutlined,
  FilterOutlined,
  MessageOutlined,
  BarChartOutlined,
  DownloadOutlined,
  FieldTimeOutlined,
  FileAddOutlined,
  HomeOutlined,
  NodeIndexOutlined,
  ProfileOutlined,
  SafetyOutlined,
  SettingOutlined,
  TeamOutlined,
  UserOutlined,
  AppstoreOutlined,
} from '@ant-design/icons';
import { useMemo, type ReactNode } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { isLead, isPlatform, isShopRole, useApp } from '../lib/app';
import { PLATFORM_VIEWS, type View } from '../lib/listParams';
import { useReassignCount } from '../lib/people';
import { filterPath, useSavedFilters } from '../lib/savedFilters';

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

/** The workbench's menu (the desktop's side menu, a phone's drawer): what this user may open, with live counts. */
export function useMenu(onOpen?: () => void) {
  const { user, t, counts } = useApp();
  const loc = useLocation();
  const nav = useNavigate();
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

  const selected = loc.pathname.startsWith('/wo/') ? [] : [loc.pathname, loc.pathname + loc.search];
  const menu: MenuProps = {
    mode: 'inline',
    items,
    selectedKeys: selected,
    defaultOpenKeys: ['lists', 'saved', 'platform'],
    onClick: (e) => {
      nav(e.key);
      onOpen?.();
    },
  };
  return menu;
}
