import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { useApp } from '../lib/app';
import Shell from './Shell';

// antd's blue for links (#1677ff) and its grey for secondary text, labels and placeholders (#8c8c8c,
// #bfbfbf) read below 4.5:1 on white; these are its darker steps, at 5.2:1 and 5.7:1.
const THEME = {
  colorPrimary: '#1668dc',
  colorInfo: '#1668dc',
  colorLink: '#1668dc',
  colorTextTertiary: 'rgba(0, 0, 0, 0.6)',
  colorTextDescription: 'rgba(0, 0, 0, 0.6)',
  colorTextPlaceholder: 'rgba(0, 0, 0, 0.6)',
  borderRadius: 6,
  fontFamily: 'var(--font)',
};

/**
 * The signed-in workbench: antd's theme, locale and message/modal holders around the shell. Loaded as
 * its own chunk, so the sign-in page does not carry antd.
 */
export default function Workbench() {
  const { lang } = useApp();
  dayjs.locale(lang === 'zh' ? 'zh-cn' : 'en');
  return (
    <ConfigProvider
      locale={lang === 'zh' ? zhCN : enUS}
      button={{ autoInsertSpace: false }}
      theme={{ token: THEME }}
    >
      <AntApp>
        <Shell />
      </AntApp>
    </ConfigProvider>
  );
}
