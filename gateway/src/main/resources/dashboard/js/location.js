// The directory being browsed lives in the URL's fragment ("#/photos/2024"), so the browser's back
// button and bookmarks work; other fragments ("#cluster") are in-page anchors and leave it alone.

import { encodePath } from './api.js';

/** The directory in the fragment ("" is the root), or null when the fragment is not a directory. */
export function directoryInHash() {
  const hash = location.hash;
  if (hash !== '' && hash !== '#' && !hash.startsWith('#/')) {
    return null;
  }
  try {
    return hash.slice(2).split('/').filter(Boolean).map(decodeURIComponent).join('/');
  } catch (e) {
    return '';
  }
}

export function hashOf(directory) {
  return `#/${encodePath(directory)}`;
}

/** "a/b" + "c" → "a/b/c". */
export function join(directory, name) {
  return directory ? `${directory}/${name}` : name;
}

/** The last segment of a path. */
export function baseName(path) {
  const segments = path.split('/').filter(Boolean);
  return segments.length ? segments[segments.length - 1] : '/';
}
