"""Battleship rules: hidden ships on a square board, one shot per action, scored at the end.

The player sees each cell as unknown, miss or hit.  A game ends when every ship is sunk or
when the shot limit is reached.  Boards are placed from the run seed and the data position,
like the arithmetic task's problems, so a checkpoint only needs that position.
"""
import random
from dataclasses import dataclass, field
from typing import List

UNKNOWN, MISS, HIT = 0, 1, 2
PLACEMENT_TRIES = 1000
REWARD_NAMES = ("win", "speed")


class BoardError(ValueError):
    """Ships that cannot be placed on the board (a config problem); one line."""


def cell_name(cell, size):
    """'B3' is row 2, column 3: the name a player says."""
    return f"{chr(ord('A') + cell // size)}{cell % size + 1}"


def place_ships(size, ships, rng):
    """Random non-overlapping straight ships, largest first; a list of cell lists."""
    if any(s > size for s in ships) or sum(ships) > size * size:
        raise BoardError(f"ships {list(ships)} do not fit on a {size}x{size} board")
    for _ in range(PLACEMENT_TRIES):
        taken, placed = set(), []
        for length in sorted(ships, reverse=True):
            spots = [cells for cells in _straight_spots(size, length) if not taken.intersection(cells)]
            if not spots:
                break
            cells = rng.choice(spots)
            taken.update(cells)
            placed.append(cells)
        if len(placed) == len(ships):
            return placed
    raise BoardError(f"ships {list(ships)} could not be placed on a {size}x{size} board")


def _straight_spots(size, length):
    for r in range(size):
        for c in range(size):
            if c + length <= size:
                yield [r * size + c + k for k in range(length)]
            if length > 1 and r + length <= size:
                yield [(r + k) * size + c for k in range(length)]


@dataclass
class Board:
    """One hidden layout: the start of every game of a group."""
    size: int
    ships: List[List[int]]
    max_shots: int

    @property
    def ship_cells(self):
        return sum(len(s) for s in self.ships)

    def describe(self):
        lengths = ", ".join(str(len(s)) for s in self.ships)
        return (f"Battleship {self.size}x{self.size}, ships of length {lengths}, "
                f"at most {self.max_shots} shots")

    def layout(self):
        return " ".join("-".join(cell_name(c, self.size) for c in s) for s in self.ships)


@dataclass
class Game:
    """A game in progress on a board: the player's view and the shots so far."""
    board: Board
    view: List[int] = field(default_factory=list)
    shots: List[int] = field(default_factory=list)

    def __post_init__(self):
        self.view = [UNKNOWN] * (self.board.size ** 2)
        self._afloat = [set(s) for s in self.board.ships]

    def legal(self):
        """Cells not fired at yet: the only actions allowed."""
        return [v == UNKNOWN for v in self.view]

    def fire(self, cell):
        """Returns (outcome 'hit' or 'miss', length of the ship this shot sank or None)."""
        if not 0 <= cell < len(self.view) or self.view[cell] != UNKNOWN:
            raise ValueError(f"cell {cell} cannot be fired at")
        if self.done:
            raise ValueError("the game is over")
        self.shots.append(cell)
        for i, ship in enumerate(self._afloat):
            if cell in ship:
                ship.discard(cell)
                self.view[cell] = HIT
                return "hit", (len(self.board.ships[i]) if not ship else None)
        self.view[cell] = MISS
        return "miss", None

    @property
    def won(self):
        return all(not s for s in self._afloat)

    @property
    def done(self):
        return self.won or len(self.shots) >= self.board.max_shots

    def rewards(self):
        """Terminal reward components: win (1 or 0) and speed (1 when every shot hits,
        falling linearly to 0 at the shot limit; 0 for a lost game)."""
        if not self.won:
            return {"win": 0.0, "speed": 0.0}
        spare = max(self.board.max_shots - self.board.ship_cells, 1)
        return {"win": 1.0, "speed": (self.board.max_shots - len(self.shots)) / spare}


class BattleshipTask:
    """The environment's 'task': problem(index) is the board of a data position."""
    name = "battleship"
    episodic = True

    def __init__(self, task_config, seed):
        self.size = task_config.get("board_size", 5)
        self.ships = list(task_config.get("ships", [3, 2]))
        self.max_shots = task_config.get("max_shots", self.size * self.size)
        self.seed = seed
        place_ships(self.size, self.ships, random.Random(seed))  # fails now, not mid-run

    def problem(self, index):
        rng = random.Random(self.seed * 1_000_003 + index)
        return Board(self.size, place_ships(self.size, self.ships, rng), self.max_shots)

    @property
    def num_cells(self):
        return self.size * self.size


BOARD_EMOJI = {UNKNOWN: "🌊", MISS: "💦", HIT: "💥"}
SHIP_EMOJI = "🚢"  # a ship cell never hit, revealed when the game is shown


def game_text(game):
    """The readable form of a finished game: its shots, the result and the revealed board."""
    size = game.board.size
    replay = Game(game.board)
    said = []
    for k, cell in enumerate(game.shots, 1):
        outcome, sunk = replay.fire(cell)
        said.append(f"{k} {cell_name(cell, size)} {outcome}" + (f" sunk {sunk}" if sunk else ""))
    left = sum(1 for s in replay._afloat if s)
    result = (f"won in {len(game.shots)} shots" if game.won
              else f"lost: {len(game.shots)} shots, {left} ship{'s' if left != 1 else ''} afloat")
    ship_cells = {c for s in game.board.ships for c in s}
    rows = []
    for r in range(size):
        row = [game.view[r * size + c] for c in range(size)]
        rows.append("".join(SHIP_EMOJI if v == UNKNOWN and r * size + c in ship_cells else BOARD_EMOJI[v]
                            for c, v in enumerate(row)))
    return ", ".join(said) + "\n" + result + "\n" + "\n".join(rows)
