// Embedding in course pages: `?embed=1` keeps only the grid, the training buttons, the stats and
// the setting controls; `hide=loss,lr` hides named controls too (as TensorFlow Playground's _hide).

/** What `hide=` can name: a control's id (its label goes with it) or one of these groups. */
const GROUPS = {
  buttons: ['#play', '#step', '#reset', '#finetune', '#help-open'],
  stats: ['#stats'],
  toggles: ['.toggles'],
  legend: ['#grid-key', '.stage .count'],
};

/** Everything `?embed=1` hides at once: the parts of the page that are not the experiment itself. */
const EMBED_HIDES = ['header', '#editor', '#scenario', 'label[for=scenario]', '#scenario-text', '#files',
  '#companions', '#curves', 'h3', '#export-png', '#export-csv', 'section[aria-label=Ledger]'];

function hideAll(root, selector) {
  for (const element of root.querySelectorAll(selector)) element.classList.add('embed-hidden');
}

/**
 * Applies the embed parameters of `search` (a URLSearchParams) to the document. Returns the names in
 * `hide=` that are not controls of the page, for the notice; they are never used as markup or selectors.
 */
export function applyEmbed(search, root = document) {
  if (search.get('embed') !== '1') return [];
  root.body.classList.add('embed');
  for (const selector of EMBED_HIDES) hideAll(root, selector);
  const unknown = [];
  for (const name of (search.get('hide') ?? '').split(',').map((n) => n.trim()).filter(Boolean)) {
    if (GROUPS[name]) {
      for (const selector of GROUPS[name]) hideAll(root, selector);
    } else if (/^[a-z][a-z-]{0,30}$/.test(name) && root.getElementById(name)?.closest('.controls')) {
      root.getElementById(name).classList.add('embed-hidden');
      hideAll(root, `label[for="${name}"]`);
    } else {
      unknown.push(name.slice(0, 40));
    }
  }
  return unknown;
}
