// The chat-side panel's own entry (panel.html): React and this page only, no antd, no router, no
// workbench shell, so it paints quickly in the chat tool's frame (docs/panel.md).
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import Panel from './Panel';
import './panel.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Panel />
  </StrictMode>,
);
