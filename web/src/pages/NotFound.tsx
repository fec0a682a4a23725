import { Button, Result } from 'antd';
import { useNavigate } from 'react-router';
import { useT } from '../lib/app';

export default function NotFound() {
  const t = useT();
  const nav = useNavigate();
  return <Result status="404" title="404" extra={<Button onClick={() => nav('/')}>{t('nav.home')}</Button>} />;
}
