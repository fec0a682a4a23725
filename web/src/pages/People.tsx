import { Typography } from 'antd';
import { useEffect, useState } from 'react';
import AuditList from '../components/AuditList';
import PeopleTable from '../components/PeopleTable';
import { isLead, useApp } from '../lib/app';
import { logFailure } from '../lib/logFailure';
import { listMembers } from '../lib/people';
import NotFound from './NotFound';

/** 人员管理: the shop's owner and leads keep their team; the owner also reads the audit log. */
export default function People() {
  const { t, user } = useApp();
  const [changes, setChanges] = useState(0);
  const [names, setNames] = useState<Record<string, string>>({});
  const owner = user?.role === 'shop_owner';
  useEffect(() => {
    if (!owner) return;
    listMembers()
      .then((m) => setNames(Object.fromEntries(m.map((u) => [u.id, u.display_name]))))
      .catch((e) => logFailure('the names in the audit log (it shows ids)', e));
  }, [owner, changes]);
  if (!isLead(user)) return <NotFound />;
  return (
    <div className="people-page">
      <h1 className="page-title">{t('people.title')}</h1>
      <Typography.Paragraph type="secondary">{t('people.intro')}</Typography.Paragraph>
      <PeopleTable title={user!.shop_name ?? t('people.title')} onChange={() => setChanges((n) => n + 1)} />
      {owner && <AuditList names={names} reloadKey={changes} />}
    </div>
  );
}
