import { App as AntApp, ConfigProvider, Spin } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { createBrowserRouter, Navigate, RouterProvider } from 'react-router';
import { AppProvider, useApp } from './lib/app';
import Shell from './components/Shell';
import Login from './pages/Login';

// Every page but the shell and login is its own chunk.
const page = (load: () => Promise<{ default: React.ComponentType }>) => async () => ({ Component: (await load()).default });

const router = createBrowserRouter([
  { path: '/login', Component: Login },
  {
    path: '/',
    Component: Shell,
    HydrateFallback: () => null,
    children: [
      { index: true, lazy: page(() => import('./pages/Home')) },
      { path: 'list/:view', lazy: page(() => import('./pages/WorkorderList')) },
      { path: 'list', element: <Navigate to="/list/todo" replace /> },
      { path: 'wo/:id', lazy: page(() => import('./pages/WorkorderDetail')) },
      { path: 'new', lazy: page(() => import('./pages/CreateWorkorder')) },
      { path: 'stats', lazy: page(() => import('./pages/Stats')) },
      { path: 'export', lazy: page(() => import('./pages/Export')) },
      { path: 'webhooks', lazy: page(() => import('./pages/Webhooks')) },
      { path: 'collab/new', lazy: page(() => import('./pages/collab/NewCollab')) },
      { path: 'platform/:view', lazy: page(() => import('./pages/collab/PlatformQueue')) },
      { path: 'rules', lazy: page(() => import('./pages/collab/RulesEditor')) },
      { path: '*', lazy: page(() => import('./pages/NotFound')) },
    ],
  },
]);

function Themed() {
  const { lang, ready } = useApp();
  dayjs.locale(lang === 'zh' ? 'zh-cn' : 'en');
  return (
    <ConfigProvider
      locale={lang === 'zh' ? zhCN : enUS}
      button={{ autoInsertSpace: false }}
      theme={{ token: { colorPrimary: '#1668dc', borderRadius: 6, fontFamily: "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'WenQuanYi Micro Hei', sans-serif" } }}
    >
      <AntApp>
        {ready ? (
          <RouterProvider router={router} />
        ) : (
          <div className="center-screen">
            <Spin size="large" />
          </div>
        )}
      </AntApp>
    </ConfigProvider>
  );
}

export default function App() {
  return (
    <AppProvider>
      <Themed />
    </AppProvider>
  );
}
