"""PPO's critic: a separate value network beside the policy (GRPO has none: this is the
memory the claim is about).  The critic starts as a copy of the policy's body with a
scalar head, and trains with the same AdamW as the policy (its parameters are in
trainable_parameters, its weights in state_dict under "critic.", so checkpoints and
resume carry it)."""
import copy

from torch import nn

from .config import ConfigError

PREFIX = "critic."


class TinyCritic(nn.Module):
    """The tiny GPT with its LM head replaced by one value per position."""

    def __init__(self, policy_model):
        super().__init__()
        self.body = copy.deepcopy(policy_model)
        self.body.lm_head = nn.Linear(self.body.lm_head.in_features, 1)
        nn.init.zeros_(self.body.lm_head.weight)
        nn.init.zeros_(self.body.lm_head.bias)

    def forward(self, input_ids, attention_mask=None, position_ids=None):
        return self.body(input_ids, attention_mask, position_ids).squeeze(-1)


class BoardCritic(nn.Module):
    """The board policy's body (its unmasked cell scores) and a linear value head."""

    def __init__(self, policy_model):
        super().__init__()
        self.body = copy.deepcopy(policy_model)
        self.head = nn.Linear(policy_model.num_cells, 1)
        nn.init.zeros_(self.head.weight)
        nn.init.zeros_(self.head.bias)

    def forward(self, views):
        return self.head(self.body.scores(views)).squeeze(-1)


class WithCritic:
    """A policy and its critic; everything else is the policy's."""

    def __init__(self, policy, critic):
        self.inner, self.critic = policy, critic

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def trainable_parameters(self):
        return self.inner.trainable_parameters() + [p for p in self.critic.parameters() if p.requires_grad]

    def state_dict(self):
        state = dict(self.inner.state_dict())
        state.update({PREFIX + k: v for k, v in self.critic.state_dict().items()})
        return state

    def load_state_dict(self, state):
        self.inner.load_state_dict({k: v for k, v in state.items() if not k.startswith(PREFIX)})
        self.critic.load_state_dict({k[len(PREFIX):]: v for k, v in state.items() if k.startswith(PREFIX)})


def with_critic(policy, config):
    """The policy with a critic built for its kind (tiny GPT or board net)."""
    kind = config["model"]["type"]
    if kind == "tiny":
        critic = TinyCritic(policy.model)
    elif kind == "board":
        critic = BoardCritic(policy.model)
    else:
        raise ConfigError(f"config error: algorithm: ppo needs model type tiny or board, not {kind!r}")
    return WithCritic(policy, critic.to(policy.device))
