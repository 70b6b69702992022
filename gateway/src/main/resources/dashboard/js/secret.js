// A secret the gateway answers once (a new token, a new S3 key): shown in a box with a copy button and
// a note that it cannot be shown again, until the person says they have it. Nothing else keeps it.

import { copyText } from './clipboard.js';
import { fill, h } from './dom.js';

/**
 * Shows `fields` (`[{label, value}]`) in `box` under `title`; the field holding the secret is the
 * last one, and is selected at once so that it can be copied by hand where the clipboard refuses.
 */
export function showSecret(box, title, fields) {
  const status = h('span', { class: 'muted', 'aria-live': 'polite' });
  const inputs = fields.map((field) => h('input', {
    type: 'text', readonly: true, value: field.value, spellcheck: 'false', autocomplete: 'off',
    'aria-label': field.label, 'data-secret': field.label,
  }));
  fill(box,
    h('p', { class: 'secret-title' }, title),
    h('p', { class: 'secret-note' },
      'Shown only now: the gateway never shows it again. Copy it somewhere safe before closing this.'),
    fields.map((field, i) => h('div', { class: 'secret-field' },
      h('span', { class: 'secret-label' }, field.label),
      inputs[i],
      h('button', { type: 'button', class: 'button small', onclick: () => copy(inputs[i], status) }, 'Copy'))),
    h('div', { class: 'secret-actions' },
      status,
      h('button', { type: 'button', class: 'button subtle small', onclick: () => hideSecret(box) }, 'I have copied it')));
  box.hidden = false;
  inputs[inputs.length - 1].select();
}

/** Hides the box and forgets its secret. */
export function hideSecret(box) {
  box.hidden = true;
  box.replaceChildren();
}

async function copy(input, status) {
  input.select();
  status.textContent = await copyText(input.value) ? 'Copied.' : 'Press Ctrl+C (⌘C) to copy the selected text.';
}
