// Embedding in course pages: `?embed=1` keeps only the grid, the key figures, the training buttons,
// the stats and the setting controls; `show=ledger,curves` brings named parts back and
// `hide=loss,lr` hides named controls too (as TensorFlow Playground's _hide).

/** What `hide=` can name: a control's id (its label goes with it) or one of these groups. */
const GROUPS = {
  figures: ['#key-figures', '#kf-note'],
  buttons: ['#play', '#step', '#reset', '#finetune', '#help-open'],
  stats: ['#stats'],
  toggles: ['.toggles'],
  legend: ['#grid-key', '.stage .count'],
};

/** Everything `?embed=1` hides at once: the parts of the page that are not the experiment itself.
 * The key figures stay (an 820×520 frame shows the grid, play and them without scrolling). */
const EMBED_HIDES = ['header .title-row', 'header .tagline', '#first-view', '#tour-start', '#editor', '.scenario-row',
  '#scenario-text', '#scenario-verdict', '.folds', '.toggles', '#cell-panel',
  '#side-panel', '#ledger-panel', '#lessons'];

/** What `show=` can bring back into an embed: parts the embed hides by default. */
const SHOWABLE = {
  intro: ['header .title-row', 'header .tagline', '#first-view'],
  scenario: ['.scenario-row', '#scenario-text', '#scenario-verdict'],
  editor: ['#editor'],
  toggles: ['.toggles'],
  files: ['.folds', '#files'],
  rl: ['.folds', '#rl'],
  cell: ['#cell-panel'],
  companions: ['#side-panel'],
  curves: ['#side-panel'],
  ledger: ['#ledger-panel'],
  lessons: ['#lessons'],
};

/** The names `show=` takes, for the notice and the docs. */
export const SHOW_NAMES = Object.keys(SHOWABLE);

function hideAll(root, selector) {
  for (const element of root.querySelectorAll(selector)) element.classList.add('embed-hidden');
}

function showAll(root, selector) {
  for (const element of root.querySelectorAll(selector)) element.classList.remove('embed-hidden');
}

/** The names listed in parameter `name` of `search`, trimmed. */
function names(search, name) {
  return (search.get(name) ?? '').split(',').map((n) => n.trim()).filter(Boolean);
}

/**
 * Applies the embed parameters of `search` (a URLSearchParams) to the document: `embed=1` keeps the
 * experiment (and the lesson, with `lesson=`), `show=` brings named parts back, `hide=` hides named controls or groups too (hide wins).
 * Returns the names in `hide=` and `show=` that the page does not know, for the notice
 * (`{unknownHidden, unknownShown}`); they are never used as markup or selectors.
 */
export function applyEmbed(search, root = document) {
  const unknownHidden = [];
  const unknownShown = [];
  if (search.get('embed') !== '1') return { unknownHidden, unknownShown };
  root.body.classList.add('embed');
  for (const selector of EMBED_HIDES) hideAll(root, selector);
  // A lesson asked for is shown (main.js opens it as a slide, which fits the frame).
  if (search.get('lesson') !== null) for (const selector of SHOWABLE.lessons) showAll(root, selector);
  for (const name of names(search, 'show')) {
    if (Object.hasOwn(SHOWABLE, name)) for (const selector of SHOWABLE[name]) showAll(root, selector);
    else unknownShown.push(name.slice(0, 40));
  }
  for (const name of names(search, 'hide')) {
    if (Object.hasOwn(GROUPS, name)) {
      for (const selector of GROUPS[name]) hideAll(root, selector);
    } else if (/^[a-z][a-z-]{0,30}$/.test(name) && root.getElementById(name)?.closest('.controls')) {
      root.getElementById(name).classList.add('embed-hidden');
      hideAll(root, `label[for="${name}"]`);
    } else {
      unknownHidden.push(name.slice(0, 40));
    }
  }
  return { unknownHidden, unknownShown };
}

/** Scrolls this page's own window so `element` is at its top. (`element.scrollIntoView()` scrolls
 * every scrollable ancestor, the page that frames this one included: a course page would jump to
 * the iframe when the playground opens a lesson.) */
export function scrollOwnPageTo(element) {
  window.scrollTo({ top: element.getBoundingClientRect().top + window.scrollY });
}
