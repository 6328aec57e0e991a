// The Lessons view as a slide (body.lesson-slide, laid out in style.css): one 16:9 screen holds the
// lesson's claim with its reference, the live curves of its arms and the map of where the claim
// holds (left), the verdict with its figure (this run's and the command line's) and the explanation
// (right). Previous and
// Next go through the catalogue — also the arrow keys and PageUp/PageDown, which a presenter's clicker
// sends — and Escape leaves. `?lesson=ID&present=1` opens a lesson so (main.js).
import { t } from '../i18n.js';

/** Wires the slide's controls: `select` (the lesson menu), `toggle` (enter/leave), `previous`,
 * `next`, `position` ("lesson 3 of 15"); `map` (where the claim holds) moves to the end of `left`
 * (the run's column, which has room under its table) on the slide and back after `mapHome` off it;
 * `relayout()` fits the lesson's charts after the layout changed.
 * Returns `{setSlide(on), update()}`: `update` after a run starts or ends (no moving during one). */
export function initLessonSlide({ select, toggle, previous, next, position, map, left, mapHome, relayout }) {
  const on = () => document.body.classList.contains('lesson-slide');
  const update = () => {
    const at = select.selectedIndex;
    position.textContent = t('lessons.position', { at: at + 1, of: select.options.length });
    previous.disabled = select.disabled || at <= 0;
    next.disabled = select.disabled || at >= select.options.length - 1;
  };
  const go = (delta) => {
    const at = select.selectedIndex + delta;
    if (select.disabled || at < 0 || at >= select.options.length) return;
    select.selectedIndex = at;
    select.dispatchEvent(new Event('change'));
  };
  const setSlide = (slide) => {
    document.body.classList.toggle('lesson-slide', slide);
    if (slide) left.append(map);
    else mapHome.after(map);
    toggle.setAttribute('aria-pressed', String(slide));
    toggle.textContent = t(slide ? 'lessons.slide.leave' : 'lessons.slide');
    relayout();
  };
  select.addEventListener('change', update);
  previous.addEventListener('click', () => go(-1));
  next.addEventListener('click', () => go(1));
  toggle.addEventListener('click', () => setSlide(!on()));
  addEventListener('resize', () => { if (on()) relayout(); });
  document.addEventListener('keydown', (event) => {
    if (!on() || event.ctrlKey || event.metaKey || event.altKey || event.target.closest('input, select, textarea')) return;
    if (event.key === 'ArrowRight' || event.key === 'PageDown') go(1);
    else if (event.key === 'ArrowLeft' || event.key === 'PageUp') go(-1);
    else if (event.key === 'Escape') setSlide(false);
    else return;
    event.preventDefault();
  });
  update();
  return { setSlide, update };
}
