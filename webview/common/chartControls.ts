// The chart toolbar's controls that the dashboard and the compare view share: the x-axis
// pick and the smoothing slider with its value.
import { ce, h } from './dom';

/** The "X axis" dropdown with these choices, showing `current`; `onPick` gets the value chosen. */
export function xAxisPick(
  choices: [value: string, label: string][],
  onPick: (value: string) => void,
): { el: HTMLElement; show(value: string): void } {
  const el = ce(
    'vscode-dropdown',
    { attrs: { 'aria-label': 'X axis' } },
    choices.map(([value, text]) => ce('vscode-option', { text, attrs: { value } })),
  );
  el.addEventListener('change', () => onPick((el as unknown as { value: string }).value));
  return { el, show: (value) => ((el as unknown as { value: string }).value = value) };
}

/** The smoothing slider (0 to 0.99) and its value; `onChange` gets each new value. */
export function smoothingSlider(initial: number, onChange: (value: number) => void): HTMLElement[] {
  const input = h('input', {
    className: 'smoothing',
    attrs: {
      type: 'range',
      min: '0',
      max: '0.99',
      step: '0.01',
      value: String(initial),
      'aria-label': 'Smoothing',
    },
  });
  const value = h('span', { className: 'smoothing-value', text: initial.toFixed(2) });
  input.addEventListener('input', () => {
    const next = Number((input as HTMLInputElement).value);
    value.textContent = next.toFixed(2);
    onChange(next);
  });
  return [input, value];
}
