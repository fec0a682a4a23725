import CloseOutlined from '@ant-design/icons-svg/es/asn/CloseOutlined';
import SaveOutlined from '@ant-design/icons-svg/es/asn/SaveOutlined';
import { lazy, Suspense, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { useApp } from '../lib/app';
import { AntdZone } from '../lib/antdZone';
import { countLabel, filterPath, isShowing, useSavedFilters } from '../lib/savedFilters';
import PlainButton from './PlainButton';
import PlainIcon from './PlainIcon';
import type { SavedFilterAsk } from './SavedFilterTools';

// the dialog and the question before a delete are antd's, loaded on first use (and then kept, so the
// message they show stays on screen)
const SavedFilterTools = lazy(() => import('./SavedFilterTools'));

/** 保存的筛选 above a list: this list's saved filters with their live counts (a click opens one), and 保存筛选,
 * which keeps the list's current filter under a name (a lead may share it with the shop). Plain elements in
 * antd's look (Space, Tag, a small Button; styles.css): a phone draws it on the list's first screen. */
export default function SavedViews({ view }: { view: string }) {
  const { t } = useApp();
  const nav = useNavigate();
  const [sp] = useSearchParams();
  const all = useSavedFilters(true);
  const [ask, setAsk] = useState<SavedFilterAsk | null>(null);
  const [used, setUsed] = useState(false);
  const mine = (all ?? []).filter((f) => f.view === view);
  const open = (a: SavedFilterAsk) => {
    setUsed(true);
    setAsk(a);
  };

  return (
    <div className="saved-views" data-testid="saved-views">
      <div className="pspace pspace-wrap pspace-6">
        <span className="ptext-secondary">{t('saved.title')}</span>
        {mine.map((f) => {
          const active = isShowing(f, view, sp);
          const n = countLabel(f);
          return (
            <span key={f.id} className={`wo-tag saved-view-tag${active ? ' wo-tag-blue' : ''}`} data-testid="saved-view" data-count={f.count ?? ''}>
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
              {f.can_manage && (
                <button type="button" className="wo-tag-close" aria-label={t('saved.delete')} onClick={() => open({ kind: 'delete', id: f.id, name: f.name })}>
                  <PlainIcon icon={CloseOutlined} />
                </button>
              )}
            </span>
          );
        })}
        {all !== null && mine.length === 0 && <span className="ptext-secondary">{t('saved.none')}</span>}
        <PlainButton size="small" icon={SaveOutlined} onClick={() => open({ kind: 'save' })} data-testid="save-filter">
          {t('saved.save')}
        </PlainButton>
      </div>
      {used && (
        <AntdZone>
          <Suspense fallback={null}>
            <SavedFilterTools view={view} ask={ask} onDone={() => setAsk(null)} />
          </Suspense>
        </AntdZone>
      )}
    </div>
  );
}
