import { Drawer, Menu } from 'antd';
import { useApp } from '../lib/app';
import { useMenu } from './menuItems';

/** A phone's menu: antd's drawer with the workbench's menu (useMenu, as the desktop's side menu), loaded when first opened. */
export default function PhoneMenu({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useApp();
  const menu = useMenu(onClose);
  return (
    <Drawer open={open} onClose={onClose} placement="left" size={260} title="工单 gongdan" styles={{ body: { padding: 0 } }}>
      <nav aria-label={t('app.menu')}>
        <Menu {...menu} aria-label={t('app.menu')} style={{ borderInlineEnd: 0 }} />
      </nav>
    </Drawer>
  );
}
