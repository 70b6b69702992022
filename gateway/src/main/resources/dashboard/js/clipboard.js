// Copying text for the person at the screen.

/**
 * Copies `text`; resolves to false where the clipboard API is missing (it needs a secure context: https
 * or localhost) or refuses, so the caller can ask for a manual copy instead.
 */
export async function copyText(text) {
  if (!navigator.clipboard || !window.isSecureContext) {
    return false;
  }
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch (e) {
    return false;
  }
}
