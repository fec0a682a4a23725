import { Navigate, useParams } from 'react-router';
import { isPlatform, useApp } from '../../lib/app';
import { isOneOf, PLATFORM_VIEWS } from '../../lib/listParams';
import { WorkorderTable } from '../WorkorderList';

/** Platform queues: 平台介入, 平台核实, 申诉审核 (and the collaborative work orders I created). */
export default function PlatformQueue() {
  const { view = 'intervention' } = useParams();
  const { t, user } = useApp();
  if (!isPlatform(user)) return <Navigate to="/" replace />;
  if (!isOneOf(PLATFORM_VIEWS, view)) return <Navigate to="/platform/intervention" replace />;
  return (
    <div>
      <h1 className="page-title">{t(`view.${view}`)}</h1>
      <WorkorderTable key={view} view={view} platform />
    </div>
  );
}
