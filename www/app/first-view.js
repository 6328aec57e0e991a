// What every door into the playground trains when it is not told otherwise: the page without a link
// (and its #lessons, ?lesson= and embed doors), and the web component without a `train-maps`
// attribute. The student learns across the teacher's own map distribution (1,024 seeded random maps),
// so "ability retained" — measured on maps it never saw — shows distillation working, as the lessons
// beside it do; a student of one map would read 1–6% there. A link's fragment, the JS API and the
// command line without `trainMaps` still mean the map shown (docs/decisions.md).
export const FIRST_VIEW = Object.freeze({ trainMaps: 1024 });
