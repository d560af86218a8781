// Building DOM without ever parsing a string as HTML: every text from a run goes in
// through textContent.
export interface ElementSpec {
  className?: string;
  text?: string;
  title?: string;
  attrs?: Record<string, string>;
}

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  spec: ElementSpec = {},
  children: (Node | undefined)[] = [],
): HTMLElementTagNameMap[K] {
  return fill(document.createElement(tag), spec, children);
}

/** A custom element (toolkit) with attributes. */
export function ce(tag: string, spec: ElementSpec = {}, children: (Node | undefined)[] = []): HTMLElement {
  return fill(document.createElement(tag), spec, children);
}

/** Sets class, text (as textContent), title and attributes, then appends the children. */
function fill<E extends HTMLElement>(el: E, spec: ElementSpec, children: (Node | undefined)[]): E {
  if (spec.className) el.className = spec.className;
  if (spec.text !== undefined) el.textContent = spec.text;
  if (spec.title !== undefined) el.title = spec.title;
  for (const [k, v] of Object.entries(spec.attrs ?? {})) el.setAttribute(k, v);
  for (const child of children) if (child) el.appendChild(child);
  return el;
}

export function icon(name: string): HTMLElement {
  return h('span', { className: `codicon codicon-${name}`, attrs: { 'aria-hidden': 'true' } });
}

export function clear(el: Element): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}

/** Puts an element in a named slot of a toolkit component (icons in buttons and fields). */
export function slotted<T extends HTMLElement>(el: T, slot: string): T {
  el.setAttribute('slot', slot);
  return el;
}
