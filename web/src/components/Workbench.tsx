import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import '../antd.generated.css';
import { useApp } from '../lib/app';
import { ANTD_THEME } from '../lib/antdTheme';
import Shell from './Shell';

// antd's component styles come from the stylesheet scripts/antd-css.mjs made at build time for this
// theme (imported above, so it loads with this chunk); antd computes none of them in the browser.
const THEME = { ...ANTD_THEME, zeroRuntime: true };

/**
 * The signed-in workbench: antd's theme, locale and message/modal holders around the shell. Loaded as
 * its own chunk, so the sign-in page does not carry antd.
 */
export default function Workbench() {
  const { lang } = useApp();
  dayjs.locale(lang === 'zh' ? 'zh-cn' : 'en');
  return (
    <ConfigProvider locale={lang === 'zh' ? zhCN : enUS} button={{ autoInsertSpace: false }} theme={THEME}>
      <AntApp>
        <Shell />
      </AntApp>
    </ConfigProvider>
  );
}
