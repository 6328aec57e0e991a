// What you do on the grid (#grid): click a cell to select it (the side panel shows its move
// probabilities), paint the map with the editor's tools (www/controls/editor.js: #undo, #redo, #size,
// input[name=tool]), draw a new random map (#new-random), and Watch it act: the teacher, the student
// or both play an episode from the selected cell (www/views/episodes.js: #episode-teacher, #episode-student,
// #episode-race).
import { cellAt, Editor } from './editor.js';
import { errorText, pageError, t } from '../i18n.js';

const $ = (id) => document.getElementById(id);

/** Wires the grid and its tools. `state`: the page's shared state (`selected`: the clicked cell);
 * `playground()`: the main student's mirror; `episodes`: the episodes drawn on the grid;
 * `applySetting(field, value)`, `syncControls()`, `refresh()`: main.js's; `showError(error | null)`.
 * Returns `{clearSelection()}`: the selected cell has this one writer. */
export function initGridTools({ state, playground, episodes, applySetting, syncControls, refresh, showError }) {
  const editor = new Editor({
    canvas: $('grid'),
    getPlayground: playground,
    onChange: () => { showError(null); syncControls(); $('size').value = String(playground().size()); refresh(); },
    onError: showError,
  });
  for (const radio of document.querySelectorAll('input[name=tool]')) {
    radio.addEventListener('change', () => {
      editor.tool = radio.value || null;
      // With a painting tool a finger drags paint across cells instead of scrolling the page.
      $('grid').style.touchAction = editor.tool ? 'none' : '';
    });
  }
  $('undo').addEventListener('click', () => editor.undo());
  $('redo').addEventListener('click', () => editor.redo());
  $('size').addEventListener('change', () => {
    const n = Number($('size').value);
    if (Number.isInteger(n) && n >= 5 && n <= 16) editor.resize(n);
    else showError(pageError('editor.sizeRange', { min: 5, max: 16 }));
  });
  $('new-random').addEventListener('click', () => applySetting('map', 'random'));
  // Watch it act: from the selected cell if it is a floor cell, else from the map's start.
  for (const [id, who] of [['episode-teacher', ['teacher']], ['episode-student', ['student']], ['episode-race', ['teacher', 'student']]]) {
    $(id).addEventListener('click', () => {
      const pg = playground();
      const start = state.selected ?? Array.from(pg.startCell());
      try {
        episodes.play(pg, who, start);
        showError(null);
      } catch (error) {
        // A wall or the goal selected: say so, and start from the map's start instead.
        episodes.play(pg, who, Array.from(pg.startCell()));
        $('episode-text').textContent = t('episodes.fromStart', { reason: errorText(error), playing: $('episode-text').textContent });
      }
    });
  }
  // A click selects a cell, unless an editor tool is chosen (then it paints).
  $('grid').addEventListener('click', (event) => {
    if (editor.tool) return;
    const n = playground().size();
    const [x, y] = cellAt(event.currentTarget, event, n);
    if (x >= 0 && y >= 0 && x < n && y < n) {
      state.selected = [x, y];
      refresh();
    }
  });
  // The selected cell is written here only: a click selects, a new map or student clears.
  return {
    clearSelection() {
      state.selected = null;
    },
  };
}
