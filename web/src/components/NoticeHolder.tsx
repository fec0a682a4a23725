import { App } from 'antd';
import { useEffect } from 'react';

export type Notices = Pick<ReturnType<typeof App.useApp>, 'message' | 'modal'>;

/** Hands a page antd's message and modal (what its actions report through), which the page holds no antd to make. */
export default function NoticeHolder({ onReady }: { onReady: (n: Notices) => void }) {
  const { message, modal } = App.useApp();
  useEffect(() => onReady({ message, modal }), [onReady, message, modal]);
  return null;
}
