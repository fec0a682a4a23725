import InboxOutlined from '@ant-design/icons-svg/es/asn/InboxOutlined';
import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import PlainIcon from '../../components/PlainIcon';
import { upload } from '../../lib/api';
import { AntdZone } from '../../lib/antdZone';
import { useApp } from '../../lib/app';
import { ALLOWED_EVIDENCE_TYPES, checkFiles } from '../../lib/replyRules';
import type { Attachment } from '../../lib/types';

// The chosen files' previews and progress (antd's Progress and Button) load when the first file is chosen:
// the drop zone itself is plain, so a work order page that shows it runs no antd (docs/decisions.md).
const UploadThumbs = lazy(() => import('./UploadThumbs'));

export interface Item {
  key: string;
  file: File;
  url: string | null;
  pct: number;
  att?: Attachment;
  error?: unknown;
}

/** Drag-and-drop files (a case's evidence, a work order's attachments): previews, per-file progress;
 * reports the uploaded attachment ids, and whether uploads are still running (onBusy). */
export default function EvidenceUpload({
  onChange,
  onBusy,
  id,
  hint,
}: {
  onChange: (ids: string[]) => void;
  onBusy?: (busy: boolean) => void;
  id?: string;
  hint?: string;
}) {
  const { t } = useApp();
  const [items, setItems] = useState<Item[]>([]);
  const [over, setOver] = useState(false);
  const [problems, setProblems] = useState<string[]>([]);
  const input = useRef<HTMLInputElement>(null);
  const itemsRef = useRef(items);
  itemsRef.current = items;

  useEffect(() => {
    onChange(items.filter((i) => i.att).map((i) => i.att!.id));
    onBusy?.(items.some((i) => !i.att && i.error == null));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [items]);
  useEffect(() => () => itemsRef.current.forEach((i) => i.url && URL.revokeObjectURL(i.url)), []);

  const add = (list: FileList | null) => {
    if (!list) return;
    const files = Array.from(list);
    const { ok, problems: pr } = checkFiles(files, itemsRef.current.length);
    setProblems(
      pr.map((p) =>
        p.problem === 'too_big' ? t('collab.tooBig', { name: p.name }) : p.problem === 'bad_type' ? t('collab.badType', { name: p.name }) : t('collab.tooMany'),
      ),
    );
    const fresh: Item[] = ok.map((i) => {
      const f = files[i];
      return { key: `${Date.now()}-${i}-${f.name}`, file: f, url: f.type.startsWith('image/') ? URL.createObjectURL(f) : null, pct: 0 };
    });
    setItems((prev) => [...prev, ...fresh]);
    for (const it of fresh) {
      upload(it.file, (pct) => setItems((prev) => prev.map((x) => (x.key === it.key ? { ...x, pct } : x))))
        .then((att) => setItems((prev) => prev.map((x) => (x.key === it.key ? { ...x, pct: 100, att } : x))))
        .catch((e) => setItems((prev) => prev.map((x) => (x.key === it.key ? { ...x, error: e } : x))));
    }
  };

  const remove = (key: string) =>
    setItems((prev) => {
      const it = prev.find((x) => x.key === key);
      if (it?.url) URL.revokeObjectURL(it.url);
      return prev.filter((x) => x.key !== key);
    });

  return (
    <div>
      <div
        id={id}
        className={`dropzone${over ? ' over' : ''}`}
        role="button"
        tabIndex={0}
        aria-label={hint ?? t('collab.evidenceHint')}
        data-testid="dropzone"
        onClick={() => input.current?.click()}
        onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && (e.preventDefault(), input.current?.click())}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => {
          e.preventDefault();
          setOver(false);
          add(e.dataTransfer.files);
        }}
      >
        <PlainIcon icon={InboxOutlined} style={{ fontSize: 32, color: '#1668dc' }} />
        <div>{hint ?? t('collab.evidenceHint')}</div>
        <input
          ref={input}
          type="file"
          multiple
          style={{ display: 'none' }}
          accept={ALLOWED_EVIDENCE_TYPES.join(',')}
          data-testid="evidence-input"
          onChange={(e) => {
            add(e.target.files);
            e.target.value = '';
          }}
        />
      </div>
      {problems.map((p) => (
        <span className="ptext-danger" key={p} style={{ display: 'block' }} role="alert">
          {p}
        </span>
      ))}
      {items.length > 0 && (
        <AntdZone>
          <Suspense fallback={null}>
            <UploadThumbs items={items} onRemove={remove} />
          </Suspense>
        </AntdZone>
      )}
    </div>
  );
}
