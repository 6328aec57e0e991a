// The buttons that copy or download something about the run, and the one that loads a student: the
// link (#copy-link), the curves as CSV (#export-csv), the grid or one chart (#export-what) as a
// slide-ready 16:9 PNG (#export-png), one file per click, the main student's weights (#save-safetensors, #save-json) and its dataset
// (#export-dataset-csv, #export-dataset-npy), and a student file to load (#load-student).
import { Curves, download } from '../views/curves.js';
import { settingsLine, slidePng } from '../views/slide.js';
import { t } from '../i18n.js';

const $ = (id) => document.getElementById(id);

/** A map's name (`config.map`) as the map menu says it; an unknown one as it is. */
const mapName = (map) => ({
  open: t('map.open'), 'four-rooms': t('map.four-rooms'), maze: t('map.maze'), cliff: t('map.cliff'), random: t('map.random'), custom: t('map.custom'),
})[map] ?? map;

/** Wires the buttons. `playground()`: the main student's mirror; `trainer`: the training worker
 * (which holds the replay buffer); `curves`: the training curves; `renderGrid(canvas)`: draws the
 * grid as the page shows it on a canvas of any size; `updateLink()`: writes the settings
 * into the address bar; `showError(error | null)`; `onLoaded()`: a student file was loaded. */
export function initFileActions({ playground, trainer, curves, renderGrid, updateLink, showError, onLoaded }) {
  $('copy-link').addEventListener('click', async () => {
    updateLink();
    try {
      await navigator.clipboard.writeText(location.href);
      $('copy-link').textContent = t('files.linkCopied');
    } catch {
      $('copy-link').textContent = t('files.copyAddressBar');
    }
    setTimeout(() => { $('copy-link').textContent = t('files.copyLink'); }, 2000);
  });
  $('export-csv').addEventListener('click', () => download('curves.csv', new Blob([curves.csv()], { type: 'text/csv' })));
  // What Export PNG makes: the grid, or one chart.
  const what = $('export-what');
  for (const [value, label] of [['grid', t('curves.export.grid')], ...Curves.charts().map((c) => [c.key, t('curves.export.chart', { metric: c.label })])]) {
    what.appendChild(Object.assign(document.createElement('option'), { value, textContent: label }));
  }
  $('export-png').addEventListener('click', async () => {
    const pg = playground();
    const settings = settingsLine(pg.config(), pg.step);
    if (what.value !== 'grid') {
      download(`curve-${what.value}.png`, await curves.png(what.value, settings));
      return;
    }
    // The grid as it is now, drawn again at the slide's pixels (crisp), with what its arrows mean.
    const source = document.createElement('canvas');
    source.width = source.height = 1200;
    renderGrid(source);
    const withTeacher = $('show-teacher').checked;
    const map = mapName(pg.config().map);
    download('grid.png', await slidePng({
      source,
      title: withTeacher ? t('files.gridTitleWithTeacher', { map }) : t('files.gridTitle', { map }),
      legend: [{ label: t('common.student'), colour: '#0072b2' }, ...(withTeacher ? [{ label: t('common.teacher'), colour: '#e69f00' }] : [])],
      note: $('arrow-legend').textContent,
      settings,
    }));
  });
  // Buttons that download a file about the main student: id → [name, bytes, type]. The weights
  // come from its mirror; the dataset from the worker, which holds the replay buffer.
  const files = {
    'save-safetensors': ['student.safetensors', () => playground().saveStudent('safetensors'), 'application/octet-stream'],
    'save-json': ['student.json', () => playground().saveStudent('json'), 'application/json'],
    'export-dataset-csv': ['dataset.csv', () => trainer.ask('exportDataset', [0, 'csv']), 'text/csv'],
    'export-dataset-npy': ['dataset.npy', () => trainer.ask('exportDataset', [0, 'npy']), 'application/octet-stream'],
  };
  for (const [id, [name, bytes, type]] of Object.entries(files)) {
    $(id).addEventListener('click', async () => {
      try {
        download(name, new Blob([await bytes()], { type }));
      } catch (error) {
        showError(error);
      }
    });
  }
  $('load-student').addEventListener('change', async (event) => {
    const file = event.target.files[0];
    if (!file) return;
    try {
      playground().loadStudent(new Uint8Array(await file.arrayBuffer()));
      showError(null);
      onLoaded();
    } catch (error) {
      showError(error);
    }
    event.target.value = '';
  });
}
