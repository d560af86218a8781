// An environment's game as the samples panel draws it: the hidden board from the group's
// `environment` and the shots from the completion's `trajectory`. Pure; anything that is
// not a well-formed Battleship game (hostile or torn input) gives no board, not an error.
import type { GameView, ShotView } from '../contract/messages';
import type { Completion, EnvironmentBoard, TrajectoryStep } from '../runs/model';

const MAX_SIZE = 26; // row letters A–Z

function cellIn(size: number, value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < size * size;
}

/** 'B3' is row 2, column 3, as the trainer names cells (envs/battleship.py). */
export function cellName(cell: number, size: number): string {
  return `${String.fromCharCode(65 + Math.floor(cell / size))}${(cell % size) + 1}`;
}

function toShot(step: TrajectoryStep, size: number, ships: Set<number>): ShotView | undefined {
  if (typeof step !== 'object' || step === null || !cellIn(size, step.action)) return undefined;
  const prob =
    typeof step.logprob === 'number' && Number.isFinite(step.logprob) ? Math.exp(step.logprob) : undefined;
  const sunk = typeof step.sunk === 'number' && Number.isFinite(step.sunk) ? step.sunk : undefined;
  // the board says whether a shot hit: the logged outcome is only text
  return { cell: step.action, name: cellName(step.action, size), hit: ships.has(step.action), sunk, prob };
}

export function toGameView(environment: EnvironmentBoard | undefined, c: Completion): GameView | undefined {
  if (!environment || environment.name !== 'battleship' || !Array.isArray(c.trajectory)) return undefined;
  const size = environment.board_size;
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 1 || size > MAX_SIZE) return undefined;
  if (!Array.isArray(environment.ships)) return undefined;
  const ships = environment.ships
    .filter((s) => Array.isArray(s))
    .map((s) => s.filter((cell) => cellIn(size, cell)));
  const shipCells = new Set(ships.flat());
  const shots: ShotView[] = [];
  for (const step of c.trajectory.slice(0, size * size)) {
    const shot = toShot(step, size, shipCells);
    if (!shot) return undefined;
    shots.push(shot);
  }
  return { size, ships, shots };
}
