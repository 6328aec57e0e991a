// What counts as a word of another language in a text of the page (used by scripts/i18n-check.mjs
// on the catalogues and by tests/e2e/i18n.test.mjs on the rendered page).

/** Words a Chinese text may keep as they are: symbols, setting values and file formats a reader
 * types or sees in a link, method names, and citations. Exported for the e2e test. */
export const TERMS = [
  'KL', 'JSD', 'MSE', 'DAgger', 'REINFORCE', 'Adam', 'ReLU', 'MLP', 'RL', 'WASD', 'WebAssembly', 'Chromium', 'Firefox', 'Safari',
  'PNG', 'CSV', 'JSON', 'json', 'csv', 'npy', 'safetensors', 'MiB', 'µs', 'argmax', 'nat',
  'mapText', 'trainMaps', 'current', 'random', 'stream', 'custom', 'hard', 'kl', 'reverse_kl', 'mse', 'jsd',
  'kickstarting', 'softmax', 'HTTP', 'NaN', 'vs', 'Vinyals', 'Dean', 'Ba', 'Caruana', 'Jensen', 'Shannon', 'Agarwal', 'GKD', 'Kingma', 'Williams',
  'distill-playground', 'et', 'al', 'Hinton', 'Ross', 'Rusu', 'Schmitt', 'Hsieh', 'Cho', 'Hariharan', 'Mirzadeh', 'ImageNet', 'ResNet', 'Super', 'Tux', 'Kart', 'DMLab', 'ICLR', 'Policy', 'Distillation', 'Anil', 'Zhang', 'CIFAR',
  'p_T', 'p_S', 'p_then', 'p_now', 'p_network', 'p_planner', 'λ_k', 'λ_plan', 'π_i', 'β_i', 'V', 'Q', 'T', 'S', 'N', 'x', 'y', 's', 'a', 'G', 'L', 'p',
];
const TERM_SET = new Set(TERMS);

/** Any Chinese character. */
export const HAN = /[\u3400-\u9fff]/;

/** The Latin words of `text` that are neither places, tags, code nor TERMS. */
export function foreignWords(text) {
  const stripped = text
    .replace(/\{[A-Za-z0-9_]+\}/g, ' ')
    .replace(/<(code|kbd)>.*?<\/\1>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/https?:\/\/\S+|file:\/\/|[\w./-]+\.(?:json|csv|npy|png|safetensors|txt|md)\b/g, ' ')
    .replace(/“[^“”\u3400-\u9fff]*”|'[A-Za-z_]+'/g, ' ') // a quoted paper title, a quoted field name of a file
    .replace(/[^\s(（,，]*_[^\s)）,，]*/g, ' ') // subscripted symbols: λ_plan, p_neural, JSD_β
    .replace(/\b[a-z]+=/g, ' ');
  return (stripped.match(/[A-Za-z][A-Za-z_]*(?:[-'][A-Za-z]+)*/g) ?? []).filter((w) => !TERM_SET.has(w) && !/^[A-Za-z]$/.test(w));
}

