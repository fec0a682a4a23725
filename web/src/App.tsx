import { createBrowserRouter, Navigate, RouterProvider } from 'react-router';
import { AppProvider, useApp } from './lib/app';
import { earlyRoute } from './lib/early';
import { preloadSavedFilters } from './lib/savedFilters';
import { hadSession } from './lib/session';
import Login from './pages/Login';

// The sign-in page is in the first chunk; the workbench (the shells; antd on a wide screen) and each of its
// pages are chunks of their own, loaded when a signed-in route needs them.
const page = (load: () => Promise<{ default: React.ComponentType }>) => async () => ({ Component: (await load()).default });

// A browser that signed in before will want the workbench: its chunk, and the chunk of the page
// opened (the list or a work order), load while /me is asked instead of after it (index.html's
// boot script started fetching their files already, lib/early.ts).
// the list is drawn once its filter form is there on a wide screen (WorkorderList's listReady)
const listPage = () => import('./pages/WorkorderList').then(async (m) => (await m.listReady(), m));
const workorderPage = () => import('./pages/WorkorderDetail');
// the workbench is drawn once the desktop's antd shell is there on a wide screen (Workbench's workbenchReady)
const workbench = () => import('./components/Workbench').then(async (m) => (await m.workbenchReady(), m));
if (hadSession()) {
  void workbench();
  const route = earlyRoute(window.location.pathname);
  if (route === 'list') void listPage();
  else if (route === 'workorder') void workorderPage();
}

const router = createBrowserRouter([
  { path: '/login', Component: Login },
  {
    path: '/',
    lazy: page(workbench),
    HydrateFallback: Loading,
    children: [
      { index: true, lazy: page(() => import('./pages/Home')) },
      // the list is drawn with its saved filters (lib/savedFilters.ts, preloadSavedFilters)
      { path: 'list/:view', lazy: page(() => Promise.all([listPage(), preloadSavedFilters()]).then(([m]) => m)) },
      { path: 'list', element: <Navigate to="/list/todo" replace /> },
      { path: 'wo/:id', lazy: page(workorderPage) },
      { path: 'new', lazy: page(() => import('./pages/CreateWorkorder')) },
      { path: 'stats', lazy: page(() => import('./pages/Stats')) },
      { path: 'export', lazy: page(() => import('./pages/Export')) },
      { path: 'webhooks', lazy: page(() => import('./pages/Webhooks')) },
      { path: 'robots', lazy: page(() => import('./pages/Robots')) },
      { path: 'notifications', lazy: page(() => import('./pages/Notifications')) },
      { path: 'people', lazy: page(() => import('./pages/People')) },
      { path: 'account', lazy: page(() => import('./pages/Account')) },
      { path: 'platform-people', lazy: page(() => import('./pages/PlatformPeople')) },
      { path: 'quickreplies', lazy: page(() => import('./pages/QuickReplies')) },
      { path: 'targets', lazy: page(() => import('./pages/Targets')) },
      { path: 'types', lazy: page(() => import('./pages/WorkorderTypes')) },
      { path: 'assignment', lazy: page(() => import('./pages/AssignmentRules')) },
      { path: 'panel-settings', lazy: page(() => import('./pages/PanelSettings')) },
      { path: 'collab/new', lazy: page(() => import('./pages/collab/NewCollab')) },
      { path: 'platform/:view', lazy: page(() => Promise.all([import('./pages/collab/PlatformQueue'), listPage()]).then(([m]) => m)) },
      { path: 'rules', lazy: page(() => import('./pages/collab/RulesEditor')) },
      { path: '*', lazy: page(() => import('./pages/NotFound')) },
    ],
  },
]);

function Loading() {
  const { t } = useApp();
  return (
    <div className="center-screen" role="status" aria-label={t('common.loading')}>
      <span className="spinner" />
    </div>
  );
}

function Routes() {
  const { ready } = useApp();
  return ready ? <RouterProvider router={router} /> : <Loading />;
}

export default function App() {
  return (
    <AppProvider>
      <Routes />
    </AppProvider>
  );
}
