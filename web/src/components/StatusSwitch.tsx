import { App, Badge, Button, Checkbox, Dropdown, type MenuProps } from 'antd';
import { DownOutlined } from '@ant-design/icons';
import { useEffect, useState } from 'react';
import { AGENT_STATES, loadMyStatus, saveMyStatus, statusColor, type AgentState, type Availability } from '../lib/assignment';
import { useApp } from '../lib/app';
import { useLatest } from '../lib/latest';
import { logFailure } from '../lib/logFailure';
import ErrorMessage from './ErrorMessage';

/** The header's 在线 / 忙碌 / 离线 switch of a shop's person (docs/assignment.md): assignment rules give work only to
 * those online; "online only while the workbench is open" ties it to this page's live stream. */
export default function StatusSwitch({ initial = null, defaultOpen }: { initial?: Availability | null; defaultOpen?: boolean }) {
  const { t, lang } = useApp();
  const { message } = App.useApp();
  // a phone's header reads it first and shows its own button until pressed (PhoneShell), then this, open
  const [me, setMe] = useState<Availability | null>(initial);
  const [busy, setBusy] = useState(false);
  const [open, setOpen] = useState(!!defaultOpen);

  const latest = useLatest();

  useEffect(() => {
    if (initial) return;
    // on failure the switch stays hidden; nothing else depends on it
    latest(loadMyStatus()).then(setMe, (e) => logFailure('my availability (the switch is hidden)', e));
  }, [latest, initial]);
  if (!me) return null;

  const save = async (status: AgentState, workbenchOnly?: boolean) => {
    setBusy(true);
    try {
      const next = await saveMyStatus(status, workbenchOnly);
      setMe(next);
      message.success(t('status.saved', { status: t(`status.${next.status}`) }));
    } catch (e) {
      message.error(<ErrorMessage error={e} lang={lang} />);
    } finally {
      setBusy(false);
    }
  };

  const items: MenuProps['items'] = [
    ...AGENT_STATES.map((s) => ({
      key: s,
      label: (
        <span data-testid={`status-${s}`}>
          <Badge status={statusColor({ status: s, available: s === 'online' })} /> {t(`status.${s}`)}
        </span>
      ),
    })),
    { type: 'divider' as const },
    {
      key: 'workbench_only',
      label: (
        <Checkbox checked={me.workbench_only} data-testid="status-workbench-only">
          {t('status.workbenchOnly')}
        </Checkbox>
      ),
    },
  ];

  const label = t(`status.${me.status}`);
  return (
    <Dropdown
      trigger={['click']}
      open={open}
      onOpenChange={setOpen}
      menu={{
        items,
        selectable: true,
        selectedKeys: [me.status],
        onClick: ({ key }) => void (key === 'workbench_only' ? save(me.status, !me.workbench_only) : save(key as AgentState)),
      }}
    >
      <Button size="small" loading={busy} aria-label={t('status.aria', { status: label })} data-testid="status-switch" data-status={me.status}>
        <Badge status={statusColor(me)} />
        <span className="hide-sm">{label}</span>
        <DownOutlined style={{ fontSize: 10 }} />
      </Button>
    </Dropdown>
  );
}
