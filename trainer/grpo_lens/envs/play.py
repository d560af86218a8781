"""Play groups of games: G games per board, all boards' games batched shot by shot."""
from dataclasses import dataclass
from typing import List

import torch

from .battleship import Game, cell_name

TOP_K = 3  # alternative cells logged per shot, for the hover in Inspect Completion


@dataclass
class Episodes:
    """N = boards x G games; T = the shot limit.  Row i of the tensors is games[i]."""
    games: List[Game]
    views: torch.Tensor            # [N, T, cells] the player's view before each shot
    actions: torch.Tensor          # [N, T] the cell fired at
    mask: torch.Tensor             # [N, T] 1.0 for shots taken
    sample_logprobs: torch.Tensor  # [N, T] log-prob of each shot at sampling time
    shots: List[list]              # per game, per shot: the trajectory entry (no ref_logprob yet)

    @property
    def num_tokens(self):
        """Shots per game: the 'completion length' of the step metrics."""
        return [len(g.shots) for g in self.games]

    @property
    def truncated(self):
        """Games that hit the shot limit with ships afloat."""
        return [not g.won for g in self.games]


@torch.no_grad()
def play(model, boards, num_games, temperature, generator, top_k=TOP_K):
    games = [Game(b) for b in boards for _ in range(num_games)]
    n, cells, limit = len(games), boards[0].size ** 2, boards[0].max_shots
    device = next(model.parameters()).device
    views = torch.zeros(n, limit, cells, dtype=torch.long)
    actions = torch.zeros(n, limit, dtype=torch.long)
    mask, logps = torch.zeros(n, limit), torch.zeros(n, limit)
    shots = [[] for _ in games]
    for t in range(limit):
        alive = [i for i, g in enumerate(games) if not g.done]
        if not alive:
            break
        view = torch.tensor([games[i].view for i in alive], dtype=torch.long)
        logp_all = torch.log_softmax(model(view.to(device)).float() / temperature, dim=-1).cpu()
        picks = torch.multinomial(logp_all.exp(), 1, generator=generator).squeeze(1)
        top_p, top_cells = logp_all.exp().topk(min(top_k, cells), dim=-1)
        for row, i in enumerate(alive):
            a = int(picks[row])
            views[i, t], actions[i, t], mask[i, t], logps[i, t] = view[row], a, 1.0, logp_all[row, a]
            outcome, sunk = games[i].fire(a)
            size = games[i].board.size
            entry = {"action": a, "cell": cell_name(a, size), "outcome": outcome,
                     "logprob": round(float(logp_all[row, a]), 6),
                     "top": [{"cell": cell_name(int(c), size), "action": int(c), "prob": round(float(p), 6)}
                             for p, c in zip(top_p[row], top_cells[row]) if float(p) > 0]}
            if sunk is not None:
                entry["sunk"] = sunk
            shots[i].append(entry)
    return Episodes(games, views, actions, mask, logps, shots)
