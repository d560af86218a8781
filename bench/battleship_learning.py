"""Does GRPO learn Battleship?  Trains the battleship config and measures the mean number of
shots to win on held-out boards for a random-firing player, the untrained policy and the
trained policy, all in the same run.

    cd trainer && taskset -c 0,1 /usr/bin/python3 ../bench/battleship_learning.py \
        [--config configs/battleship.grpo.json]

The claim (issue 14): the trained policy wins in at least 30% fewer shots than both
baselines, within 5 minutes on 2 CPU cores.
"""
import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TRAINER = os.path.join(os.path.dirname(HERE), "trainer")
sys.path.insert(0, TRAINER)

import torch  # noqa: E402

from grpo_lens.config import load_config  # noqa: E402
from grpo_lens.envs import environment_parts  # noqa: E402
from grpo_lens.envs.battleship import Game  # noqa: E402
from grpo_lens.envs.play import play  # noqa: E402

HELD_OUT = 10**7  # data positions far past anything the run trains on


def random_firing(boards, seed):
    rng = random.Random(seed)
    games = []
    for board in boards:
        game = Game(board)
        while not game.done:
            game.fire(rng.choice([c for c, ok in enumerate(game.legal()) if ok]))
        games.append(game)
    return games


def policy_games(model, boards, temperature, seed):
    model.eval()
    return play(model, boards, 1, temperature, torch.Generator().manual_seed(seed)).games


def summary(games):
    won = [len(g.shots) for g in games if g.won]
    return {"shots_to_win": sum(won) / max(len(won), 1), "win_rate": len(won) / len(games)}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--config", default=os.path.join(TRAINER, "configs", "battleship.grpo.json"))
    p.add_argument("--boards", type=int, default=1000)
    args = p.parse_args()
    config = load_config(args.config)
    run_dir = tempfile.mkdtemp(prefix="grpo-battleship-")
    cmd = [sys.executable, "-m", "grpo_lens", "--config", os.path.abspath(args.config), "--run-dir", run_dir]
    start = time.time()
    subprocess.run(cmd, cwd=TRAINER, check=True, stdout=subprocess.DEVNULL)
    wall = time.time() - start
    status = json.load(open(os.path.join(run_dir, "status.json")))
    trained = torch.load(os.path.join(run_dir, status["last_checkpoint"], "model.pt"))["policy"]
    torch.manual_seed(config["seed"])  # the trainer's own order: seed, then build the policy
    _, task, policy = environment_parts(dict(config), torch.device("cpu"))
    untrained = policy.reference()
    policy.load_state_dict(trained)
    boards = [task.problem(HELD_OUT + i) for i in range(args.boards)]
    t = config["temperature"]
    results = {"random firing": summary(random_firing(boards, 1)),
               "untrained policy": summary(policy_games(untrained, boards, t, 2)),
               "trained policy": summary(policy_games(policy.model, boards, t, 3))}
    after = results["trained policy"]["shots_to_win"]
    print(f"command: {' '.join(cmd)}")
    print(f"wall time ({config['max_steps']} GRPO steps): {wall:.1f} s on {torch.get_num_threads()} threads")
    print(f"board {task.size}x{task.size}, ships {task.ships}, shot limit {task.max_shots}, "
          f"{args.boards} held-out boards, sampled at temperature {t}")
    for name, r in results.items():
        print(f"  {name:17s} mean shots to win {r['shots_to_win']:5.2f}  win rate {r['win_rate']:.3f}")
    for name in ("random firing", "untrained policy"):
        before = results[name]["shots_to_win"]
        print(f"fewer shots than {name}: {100 * (1 - after / before):.1f}%")
    print(f"run directory: {run_dir}")


if __name__ == "__main__":
    main()
