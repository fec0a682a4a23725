import { App, Button, Space, Tag, Typography } from 'antd';
import { SaveOutlined } from '@ant-design/icons';
import { lazy, Suspense, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { useApp } from '../lib/app';
import { countLabel, deleteFilter, filterPath, isShowing, refreshSavedFilters, useSavedFilters } from '../lib/savedFilters';
import ErrorMessage from './ErrorMessage';

const SaveFilterDialog = lazy(() => import('./SaveFilterDialog'));

/** 保存的筛选 above a list: this list's saved filters with their live counts (a click opens one), and 保存筛选,
 * which keeps the list's current filter under a name (a lead may share it with the shop). */
export default function SavedViews({ view }: { view: string }) {
  const { t, lang } = useApp();
  const { message, modal } = App.useApp();
  const nav = useNavigate();
  const [sp] = useSearchParams();
  const all = useSavedFilters(true);
  const [open, setOpen] = useState(false);
  const mine = (all ?? []).filter((f) => f.view === view);

  const remove = (id: string, name: string) =>
    modal.confirm({
      title: t('saved.deleteAsk', { name }),
      okText: t('saved.delete'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: () =>
        deleteFilter(id)
          .then(() => refreshSavedFilters(true))
          .catch((e) => message.error(<ErrorMessage error={e} lang={lang} />)),
    });

  return (
    <div className="saved-views" data-testid="saved-views">
      <Space size={[6, 6]} wrap>
        <Typography.Text type="secondary">{t('saved.title')}</Typography.Text>
        {mine.map((f) => {
          const active = isShowing(f, view, sp);
          const n = countLabel(f);
          return (
            <Tag
              key={f.id}
              color={active ? 'blue' : undefined}
              closable={f.can_manage}
              closeIcon={f.can_manage ? undefined : false}
              onClose={(e) => {
                e.preventDefault();
                remove(f.id, f.name);
              }}
              className="saved-view-tag"
              data-testid="saved-view"
              data-count={f.count ?? ''}
            >
              <a
                href={filterPath(f)}
                onClick={(e) => {
                  e.preventDefault();
                  nav(filterPath(f));
                }}
                aria-current={active ? 'page' : undefined}
              >
                {f.name}
                {f.shared && <span className="saved-view-shared">{t('saved.sharedMark')}</span>}
                {n && <b className="saved-view-count">{n}</b>}
              </a>
            </Tag>
          );
        })}
        {all !== null && mine.length === 0 && <Typography.Text type="secondary">{t('saved.none')}</Typography.Text>}
        <Button size="small" icon={<SaveOutlined />} onClick={() => setOpen(true)} data-testid="save-filter">
          {t('saved.save')}
        </Button>
      </Space>
      {open && (
        <Suspense fallback={null}>
          <SaveFilterDialog view={view} onClose={() => setOpen(false)} />
        </Suspense>
      )}
    </div>
  );
}
