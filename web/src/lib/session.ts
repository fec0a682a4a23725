// Whether this browser signed in before (a flag in localStorage, cleared on signing out): only then
// does the workbench ask /me on load, so a first visit logs no 401. index.html's boot script reads
// it too (lib/early.ts), hence its own small module.
const SESSION_FLAG = 'gongdan.session';

export function hadSession(): boolean {
  try {
    return localStorage.getItem(SESSION_FLAG) === '1';
  } catch {
    return true;
  }
}

export function markSession(on: boolean) {
  try {
    if (on) localStorage.setItem(SESSION_FLAG, '1');
    else localStorage.removeItem(SESSION_FLAG);
  } catch {
    /* private mode */
  }
}
