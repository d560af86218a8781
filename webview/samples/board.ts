// A Battleship game drawn as its board, with the shot order and a stepper through the
// game shot by shot: 🌊 unknown, 💦 miss, 💥 hit, 🚢 a ship never hit (shown once the
// game is over). Every string goes in through textContent.
import type { GameView } from '../../src/contract/messages';
import { ce, clear, h, icon } from '../common/dom';
import { formatNumber } from '../common/text';

export const EMOJI = { unknown: '🌊', miss: '💦', hit: '💥', ship: '🚢' } as const;

/** Shots shown per completion key; absent = the whole game. Kept across re-renders. */
const shown = new Map<string, number>();

type CellState = keyof typeof EMOJI;

function cellState(
  game: GameView,
  cell: number,
  order: Map<number, number>,
  upTo: number,
  ships: Set<number>,
) {
  const k = order.get(cell);
  const state: CellState =
    k !== undefined && k < upTo
      ? game.shots[k].hit
        ? 'hit'
        : 'miss'
      : upTo >= game.shots.length && ships.has(cell)
        ? 'ship'
        : 'unknown';
  return state;
}

function drawBoard(board: HTMLElement, game: GameView, upTo: number): void {
  clear(board);
  const order = new Map(game.shots.map((s, k) => [s.cell, k]));
  const ships = new Set(game.ships.flat());
  for (let cell = 0; cell < game.size * game.size; cell++) {
    const k = order.get(cell);
    const fired = k !== undefined && k < upTo;
    const shot = k !== undefined && fired ? game.shots[k] : undefined;
    const title = shot
      ? `${shot.name} · shot ${(k ?? 0) + 1} · ${shot.hit ? 'hit' : 'miss'}${shot.sunk ? ` (sank ${shot.sunk})` : ''}` +
        (shot.prob !== undefined ? ` · p ${formatNumber(shot.prob, 3)}` : '')
      : undefined;
    const last = fired && k === upTo - 1;
    // the state is also a colour: the board reads where no emoji font is installed
    const state = cellState(game, cell, order, upTo, ships);
    board.appendChild(
      h(
        'span',
        { className: `cell ${state}${last ? ' last' : ''}`, title, attrs: { 'data-cell': String(cell) } },
        [
          h('span', { className: 'emoji', text: EMOJI[state] }),
          fired ? h('span', { className: 'order', text: String((k ?? 0) + 1) }) : undefined,
        ],
      ),
    );
  }
}

function stepText(game: GameView, upTo: number): string {
  if (upTo === 0) return `start · ${game.shots.length} shots`;
  const s = game.shots[upTo - 1];
  const p = s.prob !== undefined ? ` · p ${formatNumber(s.prob, 3)}` : '';
  return `shot ${upTo} of ${game.shots.length}: ${s.name} ${s.hit ? 'hit' : 'miss'}${s.sunk ? `, sank ${s.sunk}` : ''}${p}`;
}

function button(name: string, label: string, onClick: () => void): HTMLElement {
  const b = ce(
    'vscode-button',
    { className: `step-${name}`, attrs: { appearance: 'icon', 'aria-label': label, title: label } },
    [icon(name)],
  );
  b.addEventListener('click', (e) => {
    e.stopPropagation();
    onClick();
  });
  return b;
}

/** The board of one game and its stepper; key identifies the completion row. */
export function gameBoard(key: string, game: GameView): HTMLElement {
  const board = h('div', { className: 'board', attrs: { role: 'img', 'aria-label': 'Battleship board' } });
  board.style.gridTemplateColumns = `repeat(${game.size}, 1.9em)`;
  const label = h('span', { className: 'shot-label' });
  const go = (upTo: number) => {
    const at = Math.max(0, Math.min(game.shots.length, upTo));
    shown.set(key, at);
    drawBoard(board, game, at);
    label.textContent = stepText(game, at);
  };
  const at = () => shown.get(key) ?? game.shots.length;
  const stepper = h('div', { className: 'stepper' }, [
    button('debug-restart', 'First shot', () => go(0)),
    button('chevron-left', 'Previous shot', () => go(at() - 1)),
    button('chevron-right', 'Next shot', () => go(at() + 1)),
    button('debug-continue', 'Whole game', () => go(game.shots.length)),
    label,
  ]);
  go(at());
  return h('div', { className: 'game' }, [board, stepper]);
}
