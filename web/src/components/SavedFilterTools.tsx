import { App } from 'antd';
import { useEffect } from 'react';
import { useApp } from '../lib/app';
import { deleteFilter, refreshSavedFilters } from '../lib/savedFilters';
import ErrorMessage from './ErrorMessage';
import SaveFilterDialog from './SaveFilterDialog';

export type SavedFilterAsk = { kind: 'save' } | { kind: 'delete'; id: string; name: string };

/** What SavedViews asks of antd, loaded on first use: the 保存筛选 dialog, or the question before a delete. */
export default function SavedFilterTools({ view, ask, onDone }: { view: string; ask: SavedFilterAsk | null; onDone: () => void }) {
  const { t, lang } = useApp();
  const { message, modal } = App.useApp();
  useEffect(() => {
    if (ask?.kind !== 'delete') return;
    modal.confirm({
      title: t('saved.deleteAsk', { name: ask.name }),
      okText: t('saved.delete'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: () =>
        deleteFilter(ask.id)
          .then(() => refreshSavedFilters(true))
          .catch((e) => message.error(<ErrorMessage error={e} lang={lang} />)),
    });
    onDone();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ask]);
  return ask?.kind === 'save' ? <SaveFilterDialog view={view} onClose={onDone} /> : null;
}
