import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import type { ReactNode } from 'react';
import '../antd.generated.css';
import { useApp } from '../lib/app';
import { InAntd } from '../lib/antdZone';
import { ANTD_THEME } from '../lib/antdTheme';
import { useReducedMotion } from '../lib/reducedMotion';

// antd's component styles come from the stylesheet scripts/antd-css.mjs made at build time for this
// theme (imported above, so it loads with this chunk); antd computes none of them in the browser.
const THEME = { ...ANTD_THEME, zeroRuntime: true };
// With the user's "reduce motion" setting, antd's motion is off: a dialog, drawer, popup or message is
// there at once instead of zooming, sliding or fading (its transitions' durations are zeroed by
// styles.css, as the stylesheet above is made once for both).
const STILL_THEME = { ...THEME, token: { ...THEME.token, motion: false } };

/** antd's theme, locale and message/modal holders: around the desktop workbench, or a phone's antd zone (bare). */
export default function AntdRoot({ children, bare }: { children: ReactNode; bare?: boolean }) {
  const { lang } = useApp();
  const still = useReducedMotion();
  dayjs.locale(lang === 'zh' ? 'zh-cn' : 'en');
  return (
    <ConfigProvider locale={lang === 'zh' ? zhCN : enUS} button={{ autoInsertSpace: false }} theme={still ? STILL_THEME : THEME}>
      {/* a phone's zone (bare) adds no element around what it holds */}
      <AntApp component={bare ? false : undefined}>
        <InAntd.Provider value={true}>{children}</InAntd.Provider>
      </AntApp>
    </ConfigProvider>
  );
}
