import { App, Button, Card, Descriptions, Typography } from 'antd';
import { EditOutlined } from '@ant-design/icons';
import { useState } from 'react';
import NameModal from '../components/NameModal';
import PasswordForm from '../components/PasswordForm';
import { useApp } from '../lib/app';
import { renameMe } from '../lib/people';

/** 我的账户: everyone changes their own display name and password. */
export default function Account() {
  const { t, user, refreshUser } = useApp();
  const { message } = App.useApp();
  const [renaming, setRenaming] = useState(false);
  if (!user) return null;
  return (
    <div className="people-page">
      <h1 className="page-title">{t('account.title')}</h1>
      <Card title={t('account.profile')} className="people-card">
        <Descriptions column={1} size="small">
          <Descriptions.Item label={t('account.name')}>
            <Typography.Text strong data-testid="account-name">
              {user.display_name}
            </Typography.Text>
            <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setRenaming(true)} data-testid="account-rename">
              {t('people.rename')}
            </Button>
          </Descriptions.Item>
          <Descriptions.Item label={t('account.login')}>{user.username}</Descriptions.Item>
          <Descriptions.Item label={t('people.col.role')}>{t(`role.${user.role}`)}</Descriptions.Item>
          {user.shop_name && <Descriptions.Item label={t('platform.shopName')}>{user.shop_name}</Descriptions.Item>}
        </Descriptions>
      </Card>
      <Card title={t('account.password')} className="people-card">
        <PasswordForm submitText={t('account.pwSubmit')} onDone={() => message.success(t('account.pwChanged'))} />
      </Card>
      <NameModal
        open={renaming}
        title={t('account.name')}
        label={t('account.name')}
        initial={user.display_name}
        field="display_name"
        testid="account-rename-form"
        onSave={async (name) => {
          await renameMe(name);
          await refreshUser();
          message.success(t('account.saved'));
        }}
        onClose={() => setRenaming(false)}
      />
    </div>
  );
}
