import { Descriptions } from 'antd';
import type { useAppProps } from 'antd/es/app/context';
import type { Translate } from '../../lib/i18n';

type Modal = useAppProps['modal'];

/**
 * Asks before a collaborative step that can never be changed afterwards (the seller's reply, an appeal,
 * a verification, a judgement, an appeal decision): says so, and shows what is about to be sent.
 * Resolves true when confirmed.
 */
export function confirmFinal(
  modal: Modal,
  t: Translate,
  { title, warning, lines }: { title: string; warning: string; lines: [string, string][] },
): Promise<boolean> {
  return new Promise((resolve) => {
    modal.confirm({
      title,
      className: 'confirm-final',
      content: (
        <div>
          <p style={{ color: '#cf1322', fontWeight: 500 }}>{warning}</p>
          <Descriptions size="small" column={1} bordered>
            {lines.map(([k, v]) => (
              <Descriptions.Item key={k} label={k}>
                {v}
              </Descriptions.Item>
            ))}
          </Descriptions>
        </div>
      ),
      okText: t('collab.confirmSubmit'),
      cancelText: t('collab.confirmBack'),
      okButtonProps: { 'data-testid': 'confirm-ok' } as Record<string, string>,
      cancelButtonProps: { 'data-testid': 'confirm-back' } as Record<string, string>,
      width: 520,
      onOk: () => resolve(true),
      onCancel: () => resolve(false),
    });
  });
}
