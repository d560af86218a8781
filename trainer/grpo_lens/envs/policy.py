"""The board policy: a small MLP from the player's view of the board to one logit per cell."""

import torch
from torch import nn

from ..models import frozen_copy
from .battleship import HIT, MISS

ILLEGAL_LOGIT = -1e9  # finite, so that masked cells give 0 * logp = 0 in the entropy


def masked(logits, views):
    """Cells already fired at (miss or hit) can never be chosen."""
    unknown = (views != MISS) & (views != HIT)
    return logits.masked_fill(~unknown, ILLEGAL_LOGIT)


class BoardNet(nn.Module):
    """[B, cells] views (0 unknown, 1 miss, 2 hit) -> [B, cells] logits, fired cells masked."""

    def __init__(self, num_cells, hidden, layers):
        super().__init__()
        blocks, width = [], 3 * num_cells
        for _ in range(layers):
            blocks += [nn.Linear(width, hidden), nn.ReLU()]
            width = hidden
        blocks.append(nn.Linear(width, num_cells))
        self.net = nn.Sequential(*blocks)
        self.num_cells = num_cells

    def scores(self, views):
        """One score per cell, before masking (the PPO critic reads these too)."""
        return self.net(torch.nn.functional.one_hot(views.long(), 3).float().flatten(-2))

    def forward(self, views):
        return masked(self.scores(views), views)


class BoardConvNet(nn.Module):
    """A small conv net: 3x3 convolutions see a hit's neighbours the same way anywhere on
    the board; a learnt bias per cell keeps a prior over positions."""

    def __init__(self, num_cells, hidden, layers):
        super().__init__()
        self.size = int(round(num_cells ** 0.5))
        blocks, width = [], 3
        for _ in range(layers):
            blocks += [nn.Conv2d(width, hidden, 3, padding=1), nn.ReLU()]
            width = hidden
        blocks.append(nn.Conv2d(width, 1, 3 if layers == 0 else 1, padding=1 if layers == 0 else 0))
        self.net = nn.Sequential(*blocks)
        self.cell_bias = nn.Parameter(torch.zeros(num_cells))
        self.num_cells = num_cells

    def scores(self, views):
        """One score per cell, before masking (the PPO critic reads these too)."""
        one_hot = torch.nn.functional.one_hot(views.long(), 3).float()
        planes = one_hot.view(-1, self.size, self.size, 3).permute(0, 3, 1, 2)
        return self.net(planes).flatten(1).view(*views.shape) + self.cell_bias

    def forward(self, views):
        return masked(self.scores(views), views)


NETS = {"mlp": BoardNet, "conv": BoardConvNet}


class BoardPolicy:
    """The same interface as the language policies where the loop needs it: model,
    reference(), trainable_parameters(), state_dict(); no tokenizer."""

    kind = "board"
    tokenizer = None

    def __init__(self, model_config, num_cells, device):
        self.device = device
        net = NETS[model_config.get("net", "conv")]
        self.model = net(num_cells, model_config.get("hidden", 32), model_config.get("layers", 2)).to(device)

    def reference(self):
        """A frozen copy of the policy as it is now."""
        return frozen_copy(self.model)

    def trainable_parameters(self):
        return [p for p in self.model.parameters() if p.requires_grad]

    def state_dict(self):
        return self.model.state_dict()

    def load_state_dict(self, state):
        self.model.load_state_dict(state)
