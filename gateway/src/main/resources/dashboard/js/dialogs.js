// Small promise-returning wrappers around the page's <dialog> elements.

import { byId } from './dom.js';

/** Asks to confirm a destructive action; resolves to true when confirmed. */
export function confirmAction(title, text, actionLabel = 'Delete') {
  const dialog = byId('confirm-dialog');
  byId('confirm-title').textContent = title;
  byId('confirm-text').textContent = text;
  byId('confirm-ok').textContent = actionLabel;
  dialog.returnValue = '';
  dialog.showModal();
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
  });
}

/** Asks for a folder name; resolves to it, or to '' when cancelled. */
export function askFolderName() {
  const dialog = byId('folder-dialog');
  const input = byId('folder-input');
  input.value = '';
  dialog.returnValue = '';
  dialog.showModal();
  return new Promise((resolve) => {
    const cancel = () => dialog.close();
    byId('folder-cancel').addEventListener('click', cancel, { once: true });
    dialog.addEventListener('close', () => {
      byId('folder-cancel').removeEventListener('click', cancel);
      resolve(dialog.returnValue === 'create' ? input.value.trim() : '');
    }, { once: true });
  });
}

/** Asks for an entry's new name or path, starting from `current`; resolves to it, or to '' when cancelled. */
export function askRename(current) {
  const dialog = byId('rename-dialog');
  const input = byId('rename-input');
  byId('rename-title').textContent = `Rename “${current}”`;
  input.value = current;
  dialog.returnValue = '';
  dialog.showModal();
  // The name without its extension is selected, ready to be typed over.
  const dot = current.lastIndexOf('.');
  input.setSelectionRange(0, dot > 0 ? dot : current.length);
  return new Promise((resolve) => {
    const cancel = () => dialog.close();
    byId('rename-cancel').addEventListener('click', cancel, { once: true });
    dialog.addEventListener('close', () => {
      byId('rename-cancel').removeEventListener('click', cancel);
      resolve(dialog.returnValue === 'rename' ? input.value.trim() : '');
    }, { once: true });
  });
}
