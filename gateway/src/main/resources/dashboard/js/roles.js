// Sections meant for some roles only carry data-needs-role ("reader": any signed-in token, "admin"): they
// are shown to a token with that role or a higher one, and hidden from everyone else. Hiding only spares
// people buttons that cannot work: the gateway refuses an admin route to anyone else, and the page shows
// that 403 like any other.

const RANK = { reader: 1, writer: 2, admin: 3 };

/**
 * Shows or hides every section for `who` (what refreshWhoami resolved to); resolves to a test of
 * whether a role's sections are shown. A gateway without access control shows them all.
 */
export function showSectionsFor(who) {
  const rank = who.unavailable ? RANK.admin : RANK[who.role] || 0;
  const allows = (role) => rank >= (RANK[role] || Infinity);
  document.body.dataset.role = who.unavailable ? '' : who.role || '';
  for (const element of document.querySelectorAll('[data-needs-role]')) {
    element.hidden = !allows(element.dataset.needsRole);
  }
  return allows;
}
