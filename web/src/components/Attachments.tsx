import FileImageOutlined from '@ant-design/icons-svg/es/asn/FileImageOutlined';
import FileOutlined from '@ant-design/icons-svg/es/asn/FileOutlined';
import FilePdfOutlined from '@ant-design/icons-svg/es/asn/FilePdfOutlined';
import VideoCameraOutlined from '@ant-design/icons-svg/es/asn/VideoCameraOutlined';
import { useState, type KeyboardEvent } from 'react';
import { AntdZone } from '../lib/antdZone';
import { useApp } from '../lib/app';
import { chunk } from '../lib/chunk';
import type { Attachment } from '../lib/types';
import PlainIcon from './PlainIcon';

// A work order's (or a case's) files as tiles: plain elements in antd's look (an image's tile is antd's Image
// to the pixel, styles.css .pimage), so a page with files draws them without running antd; what opens from a
// tile (antd's preview, a PDF's dialog) is AttachmentViewer's chunk, loaded on the first click, or when the
// pointer first reaches a tile (docs/decisions.md, "A work order's files are plain tiles").

export const fileUrl = (a: Attachment) => a.url ?? `/api/v1/attachments/${a.id}`;
export const inlineUrl = (a: Attachment) => `${fileUrl(a)}?inline=1`;

const viewer = chunk(() => import('./AttachmentViewer'));
const loadViewer = () => void viewer.load();

const ICON = { fontSize: 36, color: '#8c8c8c' };

/** The plain icon of a file that has no thumbnail (a PDF, a video, or an image the server refused). */
function FileIcon({ a }: { a: Attachment }) {
  if (a.mime === 'application/pdf') return <PlainIcon icon={FilePdfOutlined} style={{ ...ICON, color: '#cf1322' }} />;
  if (a.mime?.startsWith('video/')) return <PlainIcon icon={VideoCameraOutlined} style={ICON} />;
  if (a.mime?.startsWith('image/')) return <PlainIcon icon={FileImageOutlined} style={ICON} />;
  return <PlainIcon icon={FileOutlined} style={ICON} />;
}

/** One image: the server's thumbnail; a click (or Enter, Space) opens the full image in the page.
 * An image whose thumbnail the server refused (too many pixels, damaged) shows the icon. */
function ImageTile({ a, testId, onOpen }: { a: Attachment; testId: string; onOpen: () => void }) {
  const [broken, setBroken] = useState(false);
  const onKey = (e: KeyboardEvent) => {
    if (e.key !== 'Enter' && e.key !== ' ') return;
    e.preventDefault();
    onOpen();
  };
  return (
    <figure className="evidence-thumb" data-testid={testId} data-kind="image">
      {broken ? (
        <a className="file-tile" href={fileUrl(a)} target="_blank" rel="noreferrer" title={a.filename}>
          <PlainIcon icon={FileImageOutlined} style={ICON} />
        </a>
      ) : (
        // antd's Image: a focusable box with the picture and, on hover or focus, a shade over it
        <div
          className="pimage"
          role="button"
          tabIndex={0}
          aria-label={a.filename}
          style={{ width: 88, height: 88 }}
          onClick={onOpen}
          onKeyDown={onKey}
          onPointerEnter={loadViewer}
          onFocus={loadViewer}
        >
          <img
            className="pimage-img"
            src={a.thumbnail_url ?? inlineUrl(a)}
            width={88}
            height={88}
            alt={a.filename}
            style={{ height: 88, objectFit: 'cover' }}
            onError={() => setBroken(true)}
          />
          <div className="pimage-cover" />
        </div>
      )}
      <figcaption title={a.filename}>{a.filename ?? a.id}</figcaption>
    </figure>
  );
}

/** Files of a work order as tiles: image thumbnails that open in the page, PDFs that open in a
 * dialog (the browser's viewer), videos and anything else as a download. */
export default function AttachmentList({ list, testId = 'attachment' }: { list?: Attachment[]; testId?: string }) {
  const { t } = useApp();
  const [image, setImage] = useState<number | null>(null);
  const [pdf, setPdf] = useState<Attachment | null>(null);
  // loaded once something is opened, then kept (antd's preview and dialog animate their closing)
  const [opened, setOpened] = useState(false);
  const Viewer = viewer.use(opened);
  if (!list?.length) return <>—</>;
  const images = list.filter((a) => a.mime?.startsWith('image/'));
  const others = list.filter((a) => !a.mime?.startsWith('image/'));
  const close = () => {
    setImage(null);
    setPdf(null);
  };
  return (
    <>
      <div className="att-tiles" data-testid="attachments">
        {images.map((a, i) => (
          <ImageTile
            key={a.id}
            a={a}
            testId={testId}
            onOpen={() => {
              setOpened(true);
              setImage(i);
            }}
          />
        ))}
        {others.map((a) => (
          <figure key={a.id} className="evidence-thumb" data-testid={testId} data-kind={a.mime === 'application/pdf' ? 'pdf' : 'file'}>
            {a.mime === 'application/pdf' ? (
              <button
                type="button"
                className="file-tile"
                onClick={() => {
                  setOpened(true);
                  setPdf(a);
                }}
                onPointerEnter={loadViewer}
                aria-label={t('att.open', { name: a.filename ?? a.id })}
              >
                <FileIcon a={a} />
              </button>
            ) : (
              <a className="file-tile" href={fileUrl(a)} aria-label={t('att.download', { name: a.filename ?? a.id })}>
                <FileIcon a={a} />
              </a>
            )}
            <figcaption title={a.filename}>{a.filename ?? a.id}</figcaption>
          </figure>
        ))}
      </div>
      {Viewer && (
        <AntdZone>
          <Viewer.default images={images} image={image} pdf={pdf} onImage={setImage} onClose={close} />
        </AntdZone>
      )}
    </>
  );
}
