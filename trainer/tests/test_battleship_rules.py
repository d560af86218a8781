"""Battleship rules: placement, masking, termination and the terminal reward."""
import random

import pytest
import torch

from grpo_lens.config import ConfigError, resolve_config
from grpo_lens.envs import EnvironmentRewards, environment_parts
from grpo_lens.envs.battleship import (HIT, MISS, UNKNOWN, BattleshipTask, Board, BoardError, Game,
                                       cell_name, game_text, place_ships)
from grpo_lens.envs.policy import ILLEGAL_LOGIT, BoardPolicy


def straight(cells, size):
    rows = {c // size for c in cells}
    cols = {c % size for c in cells}
    if len(rows) == 1:
        return sorted(c % size for c in cells) == list(range(min(cols), min(cols) + len(cells)))
    column = sorted(c // size for c in cells)
    return len(cols) == 1 and column == list(range(min(rows), min(rows) + len(cells)))


@pytest.mark.parametrize("size,ships", [(5, [3, 2]), (5, [4, 3, 2, 2]), (6, [5, 4, 3, 3, 2]), (3, [3, 3, 3])])
def test_placement_is_straight_in_bounds_and_without_overlap(size, ships):
    for seed in range(200):
        placed = place_ships(size, ships, random.Random(seed))
        assert sorted(len(s) for s in placed) == sorted(ships)
        cells = [c for s in placed for c in s]
        assert len(set(cells)) == len(cells), "ships overlap"
        assert all(0 <= c < size * size for c in cells)
        assert all(straight(s, size) for s in placed)


def test_placement_comes_from_seed_and_position():
    task = BattleshipTask({"board_size": 5, "ships": [3, 2]}, seed=7)
    again = BattleshipTask({"board_size": 5, "ships": [3, 2]}, seed=7)
    assert task.problem(3).ships == again.problem(3).ships
    layouts = {str(task.problem(i).ships) for i in range(50)}
    assert len(layouts) > 30  # different positions give different boards
    orientations = {len({c // 5 for c in task.problem(i).ships[0]}) for i in range(50)}
    assert orientations == {1, 3}  # both horizontal and vertical ships occur


def test_ships_that_cannot_fit_are_a_config_error():
    with pytest.raises(BoardError):
        place_ships(3, [4], random.Random(0))
    with pytest.raises(BoardError):
        place_ships(2, [2, 2, 2], random.Random(0))
    config = battleship_config(task={"name": "battleship", "board_size": 3, "ships": [3, 3, 3, 2]})
    with pytest.raises(ConfigError, match="task.ships"):
        environment_parts(config, torch.device("cpu"))


def test_fired_cells_are_masked_and_cannot_be_fired_again():
    game = Game(Board(5, [[0, 1, 2], [10, 15]], 25))
    assert game.fire(0) == ("hit", None)
    assert game.fire(24) == ("miss", None)
    assert game.view[0] == HIT and game.view[24] == MISS and game.view[1] == UNKNOWN
    legal = game.legal()
    assert not legal[0] and not legal[24] and sum(legal) == 23
    with pytest.raises(ValueError):
        game.fire(0)
    policy = BoardPolicy({"net": "conv"}, 25, torch.device("cpu"))
    logits = policy.model(torch.tensor([game.view]))
    assert logits[0, 0] == ILLEGAL_LOGIT and logits[0, 24] == ILLEGAL_LOGIT
    probs = torch.softmax(logits, -1)[0]
    assert float(probs[0]) == 0.0 and float(probs[24]) == 0.0 and float(probs.sum()) == pytest.approx(1.0)


def test_game_ends_when_all_sunk_with_the_sinking_lengths():
    game = Game(Board(5, [[0, 1, 2], [10, 15]], 25))
    assert [game.fire(c) for c in (0, 1, 10, 2)] == [("hit", None), ("hit", None), ("hit", None), ("hit", 3)]
    assert not game.done
    assert game.fire(15) == ("hit", 2)
    assert game.done and game.won and len(game.shots) == 5
    with pytest.raises(ValueError):
        game.fire(3)
    assert game.rewards() == {"win": 1.0, "speed": 1.0}  # every shot hit


def test_game_ends_at_the_shot_limit_and_is_lost():
    game = Game(Board(5, [[0, 1]], 4))
    for c in (0, 20, 21, 22):
        game.fire(c)
    assert game.done and not game.won
    assert game.rewards() == {"win": 0.0, "speed": 0.0}
    assert "lost: 4 shots, 1 ship afloat" in game_text(game)


def test_speed_reward_falls_linearly_with_shots():
    board = Board(5, [[0, 1]], 12)  # 2 ship cells, 10 spare shots
    game = Game(board)
    for c in (5, 6, 7, 0, 1):
        game.fire(c)
    assert game.rewards() == {"win": 1.0, "speed": pytest.approx((12 - 5) / 10)}
    rewards = EnvironmentRewards([{"name": "win", "weight": 0.5}, {"name": "speed"}], ("win", "speed"))
    totals, components = rewards.score([game])
    assert float(totals[0]) == pytest.approx(0.5 + 0.7)
    assert components == [{"win": 1.0, "speed": pytest.approx(0.7)}]


def test_text_names_cells_and_reveals_the_ships():
    game = Game(Board(3, [[0, 1]], 9))
    for c in (4, 0, 1):
        game.fire(c)
    assert cell_name(0, 3) == "A1" and cell_name(5, 3) == "B3"
    assert game_text(game) == "1 B2 miss, 2 A1 hit, 3 A2 hit sunk 2\nwon in 3 shots\n💥💥🌊\n🌊💦🌊\n🌊🌊🌊"
    lost = Game(Board(3, [[0, 1]], 1))
    lost.fire(4)
    assert game_text(lost).endswith("🚢🚢🌊\n🌊💦🌊\n🌊🌊🌊")


def battleship_config(**overrides):
    raw = {"name": "bs", "seed": 0, "device": "cpu", "model": {"type": "board"},
           "task": {"name": "battleship"}, "rewards": [{"name": "win"}, {"name": "speed"}]}
    raw.update(overrides)
    return resolve_config(raw)


@pytest.mark.parametrize("overrides,message", [
    ({"model": {"type": "tiny"}}, "model.type"),
    ({"rewards": [{"name": "accuracy"}]}, "rewards\\[0\\].name"),
    ({"warm_start": {"steps": 3}}, "warm_start.steps"),
    ({"export_onnx": True}, "export_onnx"),
])
def test_config_errors_name_the_field(overrides, message):
    with pytest.raises(ConfigError, match=message):
        environment_parts(battleship_config(**overrides), torch.device("cpu"))


def test_defaults_fill_the_shot_limit():
    config = battleship_config(task={"name": "battleship", "board_size": 4, "ships": [2]})
    environment_parts(config, torch.device("cpu"))
    assert config["max_completion_length"] == 16 and config["export_onnx"] is False
