// The map editor: paint floor / wall / lava / goal / start by click and drag, resize N, undo/redo.
// Edits go through Playground.editMap, so the teacher follows at once and the student keeps training.

const SYMBOL = { floor: '.', wall: '#', lava: 'L', goal: 'G', start: 'S' };

function toRows(text) {
  return text.trim().split('\n').map((row) => row.split(''));
}

function toText(rows) {
  return rows.map((row) => row.join('')).join('\n');
}

/** The map text with cell (x, y) painted; start and goal move (a map has exactly one of each). */
export function paint(text, x, y, tool) {
  const rows = toRows(text);
  const symbol = SYMBOL[tool];
  const here = rows[y]?.[x];
  if (here === undefined || here === symbol) return text;
  if (here === 'S' || here === 'G') return text; // move them by painting them elsewhere
  if (symbol === 'S' || symbol === 'G') {
    for (const row of rows) for (let i = 0; i < row.length; i++) if (row[i] === symbol) row[i] = '.';
  }
  rows[y][x] = symbol;
  return toText(rows);
}

/** The map text cropped or padded (with floor) to n×n, keeping one start and one goal inside. */
export function resize(text, n) {
  const rows = toRows(text);
  const out = Array.from({ length: n }, (_, y) => Array.from({ length: n }, (_, x) => rows[y]?.[x] ?? '.'));
  const flat = out.flat();
  if (!flat.includes('S')) out[0][0] = 'S';
  if (!flat.includes('G')) out[n - 1][n - 1] === 'S' ? (out[0][n - 1] = 'G') : (out[n - 1][n - 1] = 'G');
  return toText(out);
}

/** The grid cell [x, y] under a pointer event on the n×n grid drawn in `canvas` (may be outside). */
export function cellAt(canvas, event, n) {
  const rect = canvas.getBoundingClientRect();
  const side = Math.min(rect.width, rect.height);
  return [Math.floor(((event.clientX - rect.left) / side) * n), Math.floor(((event.clientY - rect.top) / side) * n)];
}

export class Editor {
  constructor({ canvas, getPlayground, onChange, onError }) {
    this.canvas = canvas;
    this.getPlayground = getPlayground;
    this.onChange = onChange;
    this.onError = onError;
    this.tool = null;
    this.undoStack = [];
    this.redoStack = [];
    this.painting = false;
    canvas.addEventListener('pointerdown', (e) => this.start(e));
    canvas.addEventListener('pointermove', (e) => this.move(e));
    window.addEventListener('pointerup', () => { this.painting = false; });
    window.addEventListener('pointercancel', () => { this.painting = false; });
  }


  /** Applies a new map text, remembering the old one for undo. */
  apply(text, { record = true } = {}) {
    const playground = this.getPlayground();
    const before = playground.mapText();
    if (text.trim() === before.trim()) return;
    try {
      playground.editMap(text);
      if (record) {
        this.undoStack.push(before);
        this.redoStack = [];
      }
      this.onChange();
    } catch (error) {
      this.onError(error);
    }
  }

  start(event) {
    if (!this.tool) return;
    event.preventDefault();
    this.painting = true;
    this.paintAt(event);
  }

  move(event) {
    if (this.painting && this.tool) this.paintAt(event);
  }

  paintAt(event) {
    const [x, y] = cellAt(this.canvas, event, this.getPlayground().size());
    this.apply(paint(this.getPlayground().mapText(), x, y, this.tool));
  }

  undo() {
    const text = this.undoStack.pop();
    if (text === undefined) return;
    this.redoStack.push(this.getPlayground().mapText());
    this.apply(text, { record: false });
  }

  redo() {
    const text = this.redoStack.pop();
    if (text === undefined) return;
    this.undoStack.push(this.getPlayground().mapText());
    this.apply(text, { record: false });
  }

  resize(n) {
    this.apply(resize(this.getPlayground().mapText(), n));
  }
}
