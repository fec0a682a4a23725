import { Alert, Button, Card } from 'antd';
import { LogoutOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router';
import PasswordForm from '../components/PasswordForm';
import { useApp } from '../lib/app';

/**
 * The only screen of a user whose password someone else set (a new account, a reset): the server
 * answers every other request 403 password_change_required until they set their own.
 */
export default function ForcePassword() {
  const { t, user, refreshUser, logout } = useApp();
  const nav = useNavigate();
  return (
    <div className="force-password" data-testid="force-password">
      <Card title={t('force.title')} style={{ maxWidth: 480, margin: '0 auto' }}>
        <Alert type="info" showIcon title={t('force.body')} style={{ marginBottom: 16 }} />
        <p>
          {t('account.login')}：<b>{user?.username}</b>
        </p>
        <PasswordForm currentLabel={t('force.current')} submitText={t('force.submit')} onDone={() => void refreshUser()} />
        <Button type="link" icon={<LogoutOutlined />} onClick={() => logout().then(() => nav('/login'))} style={{ paddingLeft: 0, marginTop: 8 }}>
          {t('app.logout')}
        </Button>
      </Card>
    </div>
  );
}
