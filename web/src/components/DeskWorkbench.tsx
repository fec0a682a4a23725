import AntdRoot from './AntdRoot';
import Shell from './Shell';

/** The desktop workbench: antd's providers around antd's shell (a wide screen's chunk; a phone's is PhoneShell). */
export default function DeskWorkbench() {
  return (
    <AntdRoot>
      <Shell />
    </AntdRoot>
  );
}
