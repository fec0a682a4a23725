import { Alert, App, Button, Card, Select, Space, Table, Tag, type ButtonProps } from 'antd';
import { CheckCircleOutlined, EditOutlined, PlusOutlined, StopOutlined } from '@ant-design/icons';
import type { ColumnsType } from 'antd/es/table';
import { useCallback, useEffect, useState } from 'react';
import AuditList from '../components/AuditList';
import ErrorMessage from '../components/ErrorMessage';
import NameModal from '../components/NameModal';
import PeopleTable from '../components/PeopleTable';
import { useApp } from '../lib/app';
import { logFailure } from '../lib/logFailure';
import { createShop, listMembers, listShops, patchShop, type Shop } from '../lib/people';
import NotFound from './NotFound';

/** 店铺与平台人员: a platform admin keeps shops (create, rename, deactivate), their people and the platform staff. */
export default function PlatformPeople() {
  const { t, lang, user } = useApp();
  const { message, modal } = App.useApp();
  const [shops, setShops] = useState<Shop[] | null>(null);
  const [err, setErr] = useState<unknown>(null);
  const [creating, setCreating] = useState(false);
  const [renaming, setRenaming] = useState<Shop | null>(null);
  const [picked, setPicked] = useState<string | null>(null);
  const [changes, setChanges] = useState(0);
  const [names, setNames] = useState<Record<string, string>>({});

  const load = useCallback(() => {
    listShops().then(setShops).catch(setErr);
  }, []);
  useEffect(load, [load]);
  useEffect(() => {
    // the audit log names the people it touched: platform staff and the picked shop's
    Promise.all([listMembers(), picked ? listMembers(picked) : Promise.resolve([])])
      .then(([a, b]) => setNames(Object.fromEntries([...a.map((u) => [u.id, u.display_name]), ...b.map((u) => [u.id, u.display_name]), ...(shops ?? []).map((s) => [s.id, s.name])])))
      .catch((e) => logFailure('the names in the audit log (it shows ids)', e));
  }, [picked, changes, shops]);

  if (user?.role !== 'platform_admin') return <NotFound />;

  const changed = () => {
    load();
    setChanges((n) => n + 1);
  };

  const setActive = (s: Shop, active: boolean) => {
    const k = active ? 'Reactivate' : 'Deactivate';
    modal.confirm({
      title: t(`platform.shop${k}Title`, { name: s.name }),
      content: t(`platform.shop${k}Body`),
      okText: t(active ? 'people.reactivate' : 'people.deactivate'),
      okButtonProps: { danger: !active, 'data-testid': 'confirm-ok' } as ButtonProps,
      cancelText: t('common.cancel'),
      onOk: async () => {
        try {
          await patchShop(s.id, { active });
          changed();
        } catch (e) {
          message.error({ content: <ErrorMessage error={e} lang={lang} />, duration: 8 });
        }
      },
    });
  };

  const columns: ColumnsType<Shop> = [
    { title: t('platform.shopName'), dataIndex: 'name', render: (n: string, s) => <span data-testid={`shop-${n}`}>{s.active ? n : <Tag>{n}</Tag>}</span> },
    { title: t('people.col.status'), render: (_, s) => (s.active ? <Tag color="green">{t('people.active')}</Tag> : <Tag>{t('people.inactive')}</Tag>) },
    {
      title: t('people.col.actions'),
      render: (_, s) => (
        <Space size={0} wrap>
          <Button type="link" size="small" onClick={() => setPicked(s.id)}>
            {t('platform.shopPeople')}
          </Button>
          <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setRenaming(s)}>
            {t('people.rename')}
          </Button>
          {s.active ? (
            <Button type="link" size="small" danger icon={<StopOutlined />} onClick={() => setActive(s, false)}>
              {t('people.deactivate')}
            </Button>
          ) : (
            <Button type="link" size="small" icon={<CheckCircleOutlined />} onClick={() => setActive(s, true)}>
              {t('people.reactivate')}
            </Button>
          )}
        </Space>
      ),
    },
  ];
  const pickedShop = shops?.find((s) => s.id === picked);

  return (
    <div className="people-page">
      <h1 className="page-title">{t('nav.platformPeople')}</h1>
      <Card
        title={t('platform.shops')}
        className="people-card"
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="shop-add">
            {t('platform.shopAdd')}
          </Button>
        }
      >
        {err != null && <Alert type="error" showIcon title={<ErrorMessage error={err} lang={lang} />} style={{ marginBottom: 12 }} />}
        <Table<Shop> rowKey="id" size="middle" columns={columns} dataSource={shops ?? []} loading={shops === null && err == null} pagination={false} scroll={{ x: 'max-content' }} data-testid="shops-table" />
      </Card>
      <Card title={t('platform.shopPeople')} className="people-card" size="small">
        <Select
          style={{ minWidth: 240, maxWidth: '100%' }}
          placeholder={t('platform.pickShop')}
          aria-label={t('platform.pickShop')}
          value={picked ?? undefined}
          onChange={setPicked}
          showSearch={{ optionFilterProp: 'label' }}
          options={(shops ?? []).map((s) => ({ value: s.id, label: s.name }))}
          data-testid="shop-pick"
        />
      </Card>
      {picked && <PeopleTable key={picked} shopId={picked} title={pickedShop?.name ?? ''} onChange={() => setChanges((n) => n + 1)} />}
      <PeopleTable shopId={null} title={t('platform.staff')} onChange={() => setChanges((n) => n + 1)} />
      <AuditList names={names} reloadKey={changes} />
      <NameModal
        open={creating}
        title={t('platform.shopAdd')}
        label={t('platform.shopName')}
        okText={t('platform.shopAdd')}
        field="name"
        testid="shop-form"
        onSave={async (name) => {
          const s = await createShop(name);
          message.success(t('platform.shopCreated', { name: s.name }));
          changed();
          setPicked(s.id);
        }}
        onClose={() => setCreating(false)}
      />
      <NameModal
        open={!!renaming}
        title={t('platform.shopRenameTitle', { name: renaming?.name ?? '' })}
        label={t('platform.shopName')}
        initial={renaming?.name}
        field="name"
        testid="shop-rename"
        onSave={async (name) => {
          await patchShop(renaming!.id, { name });
          changed();
        }}
        onClose={() => setRenaming(null)}
      />
    </div>
  );
}
