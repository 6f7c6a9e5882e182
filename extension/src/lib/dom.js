// Builds DOM nodes from plain values. The extension never parses HTML
// (no innerHTML): text always lands in text nodes, so nothing a site, a
// reader name or a certificate contains can become markup.

/**
 * h('button', {id: 'approve', class: 'primary', onclick: f}, 'Allow')
 * Props: class, dataset (object), on<event> (listener), other attributes
 * (true gives an empty attribute; false, null and undefined are skipped).
 * A button is type="button" unless props say otherwise: none of these
 * pages submits a form.
 * Children: nodes or strings; null, undefined and false are skipped.
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  if (tag === 'button') el.type = 'button';
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') el.className = value;
    else if (name === 'dataset') Object.assign(el.dataset, value);
    else if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  el.append(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
  return el;
}
