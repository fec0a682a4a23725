import { Alert, App, Badge, Button, Card, Checkbox, Empty, Form, Modal, Popconfirm, Radio, Select, Space, Tag, Typography } from 'antd';
import { DeleteOutlined, EditOutlined, NodeIndexOutlined } from '@ant-design/icons';
import { useEffect, useState } from 'react';
import ErrorMessage, { showOnField } from '../components/ErrorMessage';
import LoadError from '../components/LoadError';
import { isLead, useApp } from '../lib/app';
import { useLoaded } from '../lib/loaded';
import { valueLabel } from '../lib/i18n';
import {
  ASSIGN_KINDS,
  deleteRule,
  loadRules,
  loadTeam,
  loadTypes,
  memberNames,
  MEMBERS_MAX,
  ruleProblem,
  ruleTypes,
  typeName as typeWords,
  saveRule,
  statusColor,
  type AssignKind,
  type AssignRule,
  type Availability,
} from '../lib/assignment';
import type { WorkOrderType } from '../lib/types';
import NotFound from './NotFound';

const FIELDS = ['kind', 'members', 'reassign'] as const;

interface FormValues {
  kind?: AssignKind;
  members: string[];
  reassign: boolean;
}

/** 分派规则 (owners and leads): each work order type's rule and the team's availability (docs/assignment.md). */
export default function AssignmentRules() {
  const { t, lang, user } = useApp();
  const { message } = App.useApp();
  const [editing, setEditing] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [formErr, setFormErr] = useState<unknown>(null);
  const [form] = Form.useForm<FormValues>();
  const lead = isLead(user);

  const page = useLoaded(() => Promise.all([loadRules(), loadTeam(), loadTypes()]));
  const load = page.reload;
  const [rules, team, types]: [AssignRule[] | null, Availability[], WorkOrderType[]] = page.value ?? [null, [], []];
  useEffect(() => {
    if (lead) void load();
  }, [load, lead]);

  if (!lead) return <NotFound />;

  // a type's name: the shop's own names for its types, the dictionary's for built-in ones
  const typeName = (type: string) => {
    const x = types.find((y) => y.key === type);
    return x ? typeWords(lang, x) : valueLabel(t, 'type.', type);
  };
  const open = (type: string) => {
    const r = rules?.find((x) => x.type === type);
    setFormErr(null);
    form.resetFields();
    form.setFieldsValue(r ? { kind: r.kind, members: r.members, reassign: r.reassign } : { kind: 'round_robin', members: [], reassign: false });
    setEditing(type);
  };

  const submit = async (v: FormValues) => {
    if (!editing) return;
    const problem = ruleProblem(v.kind, v.members ?? []);
    if (problem) {
      form.setFields([{ name: problem === 'assign.kindRequired' ? 'kind' : 'members', errors: [t(problem)] }]);
      return;
    }
    setFormErr(null);
    setBusy(true);
    try {
      await saveRule(editing, { kind: v.kind as AssignKind, members: v.members, reassign: !!v.reassign });
      message.success(t('assign.saved'));
      setEditing(null);
      void load();
    } catch (e) {
      if (!showOnField(form, e, FIELDS, lang)) setFormErr(e);
    } finally {
      setBusy(false);
    }
  };

  const remove = async (type: string) => {
    try {
      await deleteRule(type);
      message.success(t('assign.removed'));
    } catch (e) {
      message.error(<ErrorMessage error={e} lang={lang} />);
    } finally {
      void load();
    }
  };

  const ruleItem = (type: string) => {
    const r = rules?.find((x) => x.type === type);
    return (
      <li key={type} className="quickreply-item" data-testid="assign-rule" data-type={type}>
        <div className="quickreply-item-head">
          <Typography.Text strong>{typeName(type)}</Typography.Text>
          {r && (
            <Tag color="blue" data-testid="assign-kind">
              {t(`assign.kind.${r.kind}`)}
            </Tag>
          )}
          {r?.reassign && <Tag>{t('assign.reassignTag')}</Tag>}
          <span className="quickreply-item-actions">
            <Button
              size="small"
              type="text"
              icon={<EditOutlined />}
              onClick={() => open(type)}
              aria-label={t('assign.editAria', { type: typeName(type) })}
              data-testid="assign-edit"
            >
              {r ? t('assign.edit') : t('assign.set')}
            </Button>
            {r && (
              <Popconfirm
                title={t('assign.removeConfirm')}
                okText={t('assign.remove')}
                cancelText={t('act.cancelBtn')}
                okButtonProps={{ danger: true, 'data-testid': 'assign-remove-confirm' }}
                onConfirm={() => remove(type)}
              >
                <Button
                  size="small"
                  type="text"
                  danger
                  icon={<DeleteOutlined />}
                  aria-label={t('assign.removeAria', { type: typeName(type) })}
                  data-testid="assign-remove"
                >
                  {t('assign.remove')}
                </Button>
              </Popconfirm>
            )}
          </span>
        </div>
        <div className="quickreply-item-body" data-testid="assign-members">
          {r ? (
            memberNames(lang, r.members, team).join(r.kind === 'round_robin' ? ' → ' : '、')
          ) : (
            <Typography.Text type="secondary">{t('assign.none')}</Typography.Text>
          )}
        </div>
      </li>
    );
  };

  return (
    <div>
      <h1 className="page-title">
        <NodeIndexOutlined aria-hidden style={{ marginInlineEnd: 8, color: '#1668dc' }} />
        {t('assign.title')}
      </h1>
      <Typography.Paragraph type="secondary" style={{ maxWidth: 880 }}>
        {t('assign.intro')}
      </Typography.Paragraph>
      <LoadError error={page.error} lang={lang} />
      {page.loading ? (
        <Card loading size="small" />
      ) : (
        <>
          <Card size="small" style={{ marginBottom: 12 }} title={<h2 className="card-title">{t('assign.team')}</h2>} data-testid="assign-team">
            {team.length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
            ) : (
              <ul className="assign-team">
                {team.map((p) => (
                  <li key={p.user_id} data-testid="assign-person" data-user={p.user_id} data-status={p.status} data-available={p.available}>
                    <Badge status={statusColor(p)} />
                    <span>{p.display_name}</span>
                    <Typography.Text type="secondary">
                      {t(`status.${p.status}`)} · {t(p.available ? 'assign.available' : 'assign.unavailable')}
                    </Typography.Text>
                    {p.workbench_only && <Tag>{p.workbench_open ? t('assign.workbenchOnly') : t('assign.workbenchClosed')}</Tag>}
                  </li>
                ))}
              </ul>
            )}
          </Card>
          <Card size="small" title={<h2 className="card-title">{t('assign.rules')}</h2>}>
            <ul className="quickreply-list">{ruleTypes(types, rules ?? []).map((x) => ruleItem(x.key))}</ul>
          </Card>
        </>
      )}

      <Modal
        open={editing !== null}
        title={editing ? t('assign.editTitle', { type: typeName(editing) }) : ''}
        okText={t('qr.save')}
        cancelText={t('act.cancelBtn')}
        confirmLoading={busy}
        onOk={() => form.submit()}
        onCancel={() => setEditing(null)}
        okButtonProps={{ 'data-testid': 'assign-submit' }}
        maskClosable={false}
        forceRender
      >
        <Form<FormValues> form={form} layout="vertical" onFinish={submit} data-testid="assign-form">
          <Form.Item name="kind" label={t('assign.kind')} required>
            <Radio.Group>
              <Space direction="vertical">
                {ASSIGN_KINDS.map((k) => (
                  <Radio key={k} value={k} data-testid={`assign-kind-${k}`}>
                    {t(`assign.kind.${k}`)}
                    <Typography.Text type="secondary"> — {t(`assign.kindHint.${k}`)}</Typography.Text>
                  </Radio>
                ))}
              </Space>
            </Radio.Group>
          </Form.Item>
          <Form.Item name="members" label={t('assign.members')} extra={t('assign.membersHint')} required>
            <Select
              mode="multiple"
              maxCount={MEMBERS_MAX}
              optionFilterProp="label"
              options={team.map((p) => ({ value: p.user_id, label: p.display_name }))}
              data-testid="assign-members-input"
            />
          </Form.Item>
          <Form.Item name="reassign" valuePropName="checked">
            <Checkbox data-testid="assign-reassign">{t('assign.reassign')}</Checkbox>
          </Form.Item>
          {formErr != null && <Alert type="error" showIcon title={<ErrorMessage error={formErr} lang={lang} />} role="alert" />}
        </Form>
      </Modal>
    </div>
  );
}
