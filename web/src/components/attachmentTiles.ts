import { chunk } from '../lib/chunk';

/** The file tiles (components/Attachments.tsx: antd's Image with its in-page preview, a PDF's dialog), a chunk
 * of their own: a work order's rest and a case's panel load it before they are drawn when there are files
 * (so nothing pops in), and a page without files never runs antd for them. */
export const tiles = chunk(() => import('./Attachments'));
