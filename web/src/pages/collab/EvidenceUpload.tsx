import { Button, Progress, Typography } from 'antd';
import { CloseOutlined, InboxOutlined } from '@ant-design/icons';
import { useEffect, useRef, useState } from 'react';
import { upload } from '../../lib/api';
import ErrorMessage from '../../components/ErrorMessage';
import { useApp } from '../../lib/app';
import { ALLOWED_EVIDENCE_TYPES, checkFiles } from '../../lib/replyRules';
import type { Attachment } from '../../lib/types';

interface Item {
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
  const { t, lang } = useApp();
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
        <InboxOutlined style={{ fontSize: 32, color: '#1668dc' }} />
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
        <Typography.Text type="danger" key={p} style={{ display: 'block' }} role="alert">
          {p}
        </Typography.Text>
      ))}
      {items.length > 0 && (
        <div className="thumbs">
          {items.map((it) => (
            <div className="thumb" key={it.key} data-testid="thumb">
              {it.url ? <img src={it.url} alt={it.file.name} /> : <div className="ph">{it.file.type === 'application/pdf' ? 'PDF' : 'MP4'}</div>}
              <div className="name" title={it.file.name}>
                {it.file.name}
              </div>
              <Progress percent={it.pct} size="small" status={it.error != null ? 'exception' : it.att ? 'success' : 'active'} showInfo={false} />
              {it.error != null && (
                <Typography.Text type="danger" role="alert">
                  <ErrorMessage error={it.error} lang={lang} />
                </Typography.Text>
              )}
              <Button
                size="small"
                type="text"
                icon={<CloseOutlined />}
                aria-label={`remove ${it.file.name}`}
                onClick={() => remove(it.key)}
                style={{ position: 'absolute', top: 2, right: 2, background: 'rgba(255,255,255,.8)' }}
              />
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
