// Ways into the page: the guided tour (#tour-start; www/controls/tour.js has its stops), presenter mode
// (#presenter: larger type, full screen where allowed), the help box (#help) and the keyboard
// shortcuts (space: play/pause, s: step, r: reset, ?: help, Escape: close the help).

import { t } from '../i18n.js';

const $ = (id) => document.getElementById(id);

/** Wires them. `tour`: the guided tour (www/controls/tour.js); `togglePlaying()`: the run controls' (space). */
export function initPageHelp({ tour, togglePlaying }) {
  $('tour-start').addEventListener('click', () => tour.start());
  $('presenter').addEventListener('click', () => {
    const on = !document.body.classList.contains('presenter');
    document.body.classList.toggle('presenter', on);
    $('presenter').setAttribute('aria-pressed', String(on));
    $('presenter').textContent = on ? t('page.presenter.leave') : t('page.presenter');
    // Full screen where the browser allows it (a user gesture; refused in some embeds: then larger type only).
    if (on && !document.fullscreenElement) document.documentElement.requestFullscreen?.().catch(() => {});
    if (!on && document.fullscreenElement) document.exitFullscreen?.().catch(() => {});
  });
  const toggleHelp = (open) => { $('help').hidden = !open; if (open) $('help-close').focus(); else $('grid').focus(); };
  $('help-open').addEventListener('click', () => toggleHelp(true));
  $('help-close').addEventListener('click', () => toggleHelp(false));
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && !$('help').hidden) return toggleHelp(false);
    if (event.target.closest('input, select, textarea, button') || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === ' ') { event.preventDefault(); togglePlaying(); }
    else if (event.key === 's') $('step').click();
    else if (event.key === 'r') $('reset').click();
    else if (event.key === '?') toggleHelp($('help').hidden);
  });
}
