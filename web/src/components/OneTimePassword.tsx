import { Alert, Descriptions, Modal, Typography } from 'antd';
import { useApp } from '../lib/app';

export interface Issued {
  title: string;
  name: string;
  username: string;
  password: string;
}

/** The one-time password of a new user or a reset, shown this once: the server keeps only its hash. */
export default function OneTimePassword({ issued, onClose }: { issued: Issued | null; onClose: () => void }) {
  const { t } = useApp();
  return (
    <Modal
      open={!!issued}
      title={issued?.title}
      okText={t('people.pw.done')}
      onOk={onClose}
      onCancel={onClose}
      cancelButtonProps={{ style: { display: 'none' } }}
      okButtonProps={{ 'data-testid': 'otp-done' } as Record<string, string>}
      maskClosable={false}
      destroyOnHidden
    >
      {issued && (
        <div data-testid="otp">
          <Alert
            type="warning"
            showIcon
            title={t('people.pw.once', { name: issued.name })}
            description={t('people.pw.onceDetail')}
            style={{ marginBottom: 12 }}
          />
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label={t('people.pw.login')}>
              <Typography.Text code data-testid="otp-username">
                {issued.username}
              </Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={t('people.pw.label')}>
              <Typography.Text code copyable={{ tooltips: [t('people.pw.copy'), t('people.pw.copied')] }} data-testid="otp-password" style={{ fontSize: 16 }}>
                {issued.password}
              </Typography.Text>
            </Descriptions.Item>
          </Descriptions>
        </div>
      )}
    </Modal>
  );
}
