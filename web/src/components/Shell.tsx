import { Badge, Button, Layout, Menu, Space, Tag, Tooltip, Typography } from 'antd';
import { BellOutlined, LogoutOutlined, TranslationOutlined } from '@ant-design/icons';
import { Suspense } from 'react';
import { Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { isShopRole, useApp } from '../lib/app';
import ForcePassword from '../pages/ForcePassword';
import { useMenu } from './menuItems';
import PageSpin from './PageSpin';
import StatusSwitch from './StatusSwitch';

const { Header, Sider, Content } = Layout;

/** The desktop workbench (screens of 768 px and more; a phone's is PhoneShell): the side menu, the header, the page. */
export default function Shell() {
  const { user, t, lang, setLang, logout, live, unread } = useApp();
  const loc = useLocation();
  const nav = useNavigate();
  const menuProps = useMenu();

  if (!user) return <Navigate to="/login" replace state={{ from: loc.pathname + loc.search }} />;

  const forced = !!user.must_change_password; // nothing else works until they set their own password
  const menu = <Menu {...menuProps} aria-label={t('app.menu')} style={{ borderInlineEnd: 0 }} />;

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <a className="skip-link" href="#main">
        {t('app.skip')}
      </a>
      {!forced && (
        <Sider width={220} theme="light" style={{ borderRight: '1px solid #eef0f3' }}>
          <div style={{ padding: '16px 20px', fontWeight: 700, fontSize: 17, color: '#1668dc' }}>工单 gongdan</div>
          <nav aria-label={t('app.menu')}>{menu}</nav>
        </Sider>
      )}
      <Layout>
        <Header className="app-header" role="banner">
          <span className="brand">{t('app.title')}</span>
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
