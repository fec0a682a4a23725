import { Alert, App, Button, Card, Form, Grid, Input, Modal, Select, Space, Table, Tag, Typography, type ButtonProps } from 'antd';
import { KeyOutlined, EditOutlined, PlusOutlined, StopOutlined, CheckCircleOutlined } from '@ant-design/icons';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useState } from 'react';
import { useApp } from '../lib/app';
import { useLoaded } from '../lib/loaded';
import { assignableRoles, createMember, listMembers, NAME_MAX, oneTimePassword, patchMember, resetPassword, USERNAME_RE, type Member } from '../lib/people';
import type { Role } from '../lib/types';
import ErrorMessage, { showOnField } from './ErrorMessage';
import LoadError from './LoadError';
import NameModal from './NameModal';
import OneTimePassword, { type Issued } from './OneTimePassword';

const ADD_FIELDS = ['username', 'display_name', 'role'] as const;

/**
 * A list of people with what a manager does to them (docs/people.md): add (the initial password
 * shown once), rename, change the role, reset the password (shown once), deactivate and reactivate.
 * `shopId`: undefined = the manager's own shop; for a platform admin a shop's id, or null for
 * platform staff. The server decides who may do what; its refusals are shown as they come.
 */
export default function PeopleTable({ shopId, title, onChange }: { shopId?: string | null; title: string; onChange?: () => void }) {
  const { t, lang, user } = useApp();
  const { message, modal } = App.useApp();
  const [adding, setAdding] = useState(false);
  const [renaming, setRenaming] = useState<Member | null>(null);
  const [issued, setIssued] = useState<Issued | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const narrow = !Grid.useBreakpoint().md;
  const roles = assignableRoles(user!.role, shopId !== null);
  // whom the manager may manage at all (a lead not an owner); the server still decides each change
  const manages = (m: Member) => roles.includes(m.role);

  // a platform admin without a shop picked lists platform staff (no shop_id)
  const list = useLoaded(() => listMembers(shopId ?? undefined));
  const load = list.reload;
  useEffect(() => void load(), [load, shopId]);

  const done = () => {
    load();
    onChange?.();
  };
  const fail = (e: unknown) => message.error({ content: <ErrorMessage error={e} lang={lang} />, duration: 8 });

  const setRole = async (m: Member, role: Role) => {
    setBusy(m.id);
    try {
      await patchMember(m.id, { role });
      message.success(t('people.roleChanged', { name: m.display_name, role: t(`role.${role}`) }));
      done();
    } catch (e) {
      fail(e);
      load();
    } finally {
      setBusy(null);
    }
  };

  const setActive = (m: Member, active: boolean) => {
    const k = active ? 'reactivate' : 'deactivate';
    modal.confirm({
      title: t(`people.${k}Title`, { name: m.display_name }),
      content: t(`people.${k}Body`, { name: m.display_name }),
      okText: t(`people.${k}`),
      okButtonProps: { danger: !active, 'data-testid': 'confirm-ok' } as ButtonProps,
      cancelText: t('common.cancel'),
      onOk: async () => {
        try {
          await patchMember(m.id, { active });
          message.success(t(active ? 'people.reactivated' : 'people.deactivated', { name: m.display_name }));
          done();
        } catch (e) {
          fail(e);
        }
      },
    });
  };

  const reset = (m: Member) => {
    modal.confirm({
      title: t('people.resetTitle', { name: m.display_name }),
      content: t('people.resetBody', { name: m.display_name }),
      okText: t('people.reset'),
      okButtonProps: { danger: true, 'data-testid': 'confirm-ok' } as ButtonProps,
      cancelText: t('common.cancel'),
      onOk: async () => {
        const password = oneTimePassword();
        try {
          await resetPassword(m.id, password);
          setIssued({ title: t('people.pw.resetTitle', { name: m.display_name }), name: m.display_name, username: m.username, password });
          done();
        } catch (e) {
          fail(e);
        }
      },
    });
  };

  const nameCell = (m: Member) => (
    <div className="person-cell">
      <Typography.Text strong={m.active} type={m.active ? undefined : 'secondary'}>
        {m.display_name}
        {m.id === user!.id && <Typography.Text type="secondary">（{t('people.you')}）</Typography.Text>}
      </Typography.Text>
      <Typography.Text type="secondary" className="person-login">
        {m.username}
      </Typography.Text>
    </div>
  );
  const roleCell = (m: Member) =>
    manages(m) ? (
      <Select<Role>
        size="small"
        value={m.role}
        style={{ minWidth: 120 }}
        loading={busy === m.id}
        aria-label={`${t('people.col.role')} ${m.display_name}`}
        data-testid={`role-${m.username}`}
        options={roles.map((r) => ({ value: r, label: t(`role.${r}`) }))}
        onChange={(r) => setRole(m, r)}
      />
    ) : (
      <Tag>{t(`role.${m.role}`)}</Tag>
    );
  const statusCell = (m: Member) => (
    <Space size={4} wrap>
      {m.active ? <Tag color="green">{t('people.active')}</Tag> : <Tag>{t('people.inactive')}</Tag>}
      {m.must_change_password && <Tag color="orange">{t('people.mustChange')}</Tag>}
    </Space>
  );
  const actionsCell = (m: Member) =>
    manages(m) && (
      <Space size={0} wrap className="person-actions">
        <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setRenaming(m)} data-testid={`rename-${m.username}`}>
          {t('people.rename')}
        </Button>
        <Button type="link" size="small" icon={<KeyOutlined />} onClick={() => reset(m)} data-testid={`reset-${m.username}`}>
          {t('people.reset')}
        </Button>
        {m.active ? (
          <Button type="link" size="small" danger icon={<StopOutlined />} onClick={() => setActive(m, false)} data-testid={`deactivate-${m.username}`}>
            {t('people.deactivate')}
          </Button>
        ) : (
          <Button type="link" size="small" icon={<CheckCircleOutlined />} onClick={() => setActive(m, true)} data-testid={`reactivate-${m.username}`}>
            {t('people.reactivate')}
          </Button>
        )}
      </Space>
    );
  // on a phone: one column, who, their role and state, then what to do
  const columns: ColumnsType<Member> = narrow
    ? [
        {
          title: t('people.col.name'),
          key: 'who',
          render: (_, m) => (
            <div className="person-narrow">
              {nameCell(m)}
              <Space size={8} wrap>
                {roleCell(m)}
                {statusCell(m)}
              </Space>
              {actionsCell(m)}
            </div>
          ),
        },
      ]
    : [
        { title: t('people.col.name'), key: 'name', render: (_, m) => nameCell(m) },
        { title: t('people.col.role'), key: 'role', render: (_, m) => roleCell(m) },
        { title: t('people.col.status'), key: 'status', render: (_, m) => statusCell(m) },
        { title: t('people.col.actions'), key: 'actions', render: (_, m) => actionsCell(m) },
      ];

  return (
    <Card
      title={title}
      extra={
        roles.length > 0 && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="person-add">
            {t('people.add')}
          </Button>
        )
      }
      className="people-card"
    >
      <LoadError error={list.error} lang={lang} />
      <Table<Member>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={list.value ?? []}
        loading={list.loading}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('people.empty') }}
        rowClassName={(m) => (m.active ? '' : 'person-inactive')}
        data-testid="people-table"
      />
      <AddPerson
        open={adding}
        roles={roles}
        shopId={shopId}
        onClose={() => setAdding(false)}
        onAdded={(m, password) => {
          setAdding(false);
          setIssued({ title: t('people.pw.createdTitle', { name: m.display_name }), name: m.display_name, username: m.username, password });
          done();
        }}
      />
      <NameModal
        open={!!renaming}
        title={t('people.renameTitle', { name: renaming?.display_name ?? '' })}
        label={t('people.form.displayName')}
        initial={renaming?.display_name}
        field="display_name"
        testid="person-rename"
        onSave={async (name) => {
          await patchMember(renaming!.id, { display_name: name });
          message.success(t('people.renamed', { name }));
          done();
        }}
        onClose={() => setRenaming(null)}
      />
      <OneTimePassword issued={issued} onClose={() => setIssued(null)} />
    </Card>
  );
}

interface AddValues {
  username: string;
  display_name: string;
  role: Role;
}

function AddPerson({
  open,
  roles,
  shopId,
  onClose,
  onAdded,
}: {
  open: boolean;
  roles: Role[];
  shopId?: string | null;
  onClose: () => void;
  onAdded: (m: Member, password: string) => void;
}) {
  const { t, lang } = useApp();
  const [form] = Form.useForm<AddValues>();
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<unknown>(null);
  // each opening starts empty, with the lowest role (before anything can be typed)
  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue({ role: roles[roles.length - 1] });
    setErr(null);
  }, [open]); // eslint-disable-line react-hooks/exhaustive-deps

  const submit = async (v: AddValues) => {
    setBusy(true);
    setErr(null);
    const password = oneTimePassword();
    try {
      const m = await createMember({
        username: v.username.trim(),
        display_name: v.display_name.trim(),
        role: v.role,
        password,
        ...(shopId ? { shop_id: shopId } : {}),
      });
      onAdded(m, password);
    } catch (e) {
      if (!showOnField(form, e, ADD_FIELDS, lang)) setErr(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t('people.add')}
      okText={t('people.form.submit')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={onClose}
      okButtonProps={{ 'data-testid': 'person-add-ok' } as Record<string, string>}
      afterOpenChange={(o) => o && form.focusField('display_name')}
      maskClosable={false}
      forceRender
    >
      <Form<AddValues> form={form} layout="vertical" onFinish={submit} data-testid="person-form">
        <Form.Item
          name="display_name"
          label={t('people.form.displayName')}
          rules={[
            { required: true, whitespace: true, message: t('people.form.required', { field: t('people.form.displayName') }) },
            { max: NAME_MAX, message: t('people.form.tooLong', { max: NAME_MAX }) },
          ]}
        >
          <Input maxLength={NAME_MAX} autoComplete="off" data-testid="person-name" />
        </Form.Item>
        <Form.Item
          name="username"
          label={t('people.form.username')}
          extra={t('people.form.usernameHint')}
          rules={[
            { required: true, message: t('people.form.required', { field: t('people.form.username') }) },
            { pattern: USERNAME_RE, message: t('people.form.usernameRule', { max: NAME_MAX }) },
          ]}
        >
          <Input maxLength={NAME_MAX} autoComplete="off" spellCheck={false} autoCapitalize="off" data-testid="person-username" />
        </Form.Item>
        <Form.Item name="role" label={t('people.col.role')} rules={[{ required: true }]}>
          <Select<Role> options={roles.map((r) => ({ value: r, label: t(`role.${r}`) }))} data-testid="person-role" aria-label={t('people.col.role')} />
        </Form.Item>
        {err != null && <Alert type="error" showIcon title={<ErrorMessage error={err} lang={lang} />} role="alert" />}
      </Form>
    </Modal>
  );
}
