import type { ThemeConfig } from 'antd';

// The workbench's antd theme, in one place: the app (components/Workbench.tsx) applies it at run
// time, and scripts/antd-css.mjs renders antd's styles with it at build time into
// src/antd.generated.css, which the app loads instead of having antd compute its styles in the
// browser (`zeroRuntime`; issue 13: that computing was most of the main thread's work on first load).
// This file must stay plain data (the build script reads it with its types stripped).
export const ANTD_THEME: ThemeConfig = {
  // antd's blue for links (#1677ff) and its grey for secondary text, labels and placeholders
  // (#8c8c8c, #bfbfbf) read below 4.5:1 on white; these are its darker steps, at 5.2:1 and 5.7:1.
  token: {
    colorPrimary: '#1668dc',
    colorInfo: '#1668dc',
    colorLink: '#1668dc',
    colorTextTertiary: 'rgba(0, 0, 0, 0.6)',
    colorTextDescription: 'rgba(0, 0, 0, 0.6)',
    colorTextPlaceholder: 'rgba(0, 0, 0, 0.6)',
    borderRadius: 6,
    fontFamily: 'var(--font)',
  },
  // No hash class in antd's selectors: the stylesheet is made once, for this theme, so the plain
  // `.ant-btn` selectors of the generated file match what the components render.
  hashed: false,
};
