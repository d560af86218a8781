"""Rewards: weighted components, built-in or user functions given as 'module:function'."""
import importlib
import math
import sys

from .builtin import BUILTIN


class RewardError(ValueError):
    """A reward cannot be set up (a config problem); the message is one line."""


def _import_function(spec, where, search_dirs):
    module_name, _, func_name = spec.partition(":")
    for d in search_dirs:
        if d not in sys.path:
            sys.path.insert(0, d)
    try:
        module = importlib.import_module(module_name)
    except Exception as e:  # an ImportError or any error raised while importing user code
        raise RewardError(f"{where}: cannot import reward module '{module_name}' "
                          f"({type(e).__name__}: {e})") from None
    func = getattr(module, func_name, None)
    if not callable(func):
        raise RewardError(f"{where}: reward module '{module_name}' has no function '{func_name}'")
    return func


class RewardSet:
    """The reward components of a config, scored a group at a time."""

    def __init__(self, reward_configs, search_dirs=()):
        self.components = []
        for i, cfg in enumerate(reward_configs):
            where = f"config error: rewards[{i}]"
            if "function" in cfg:
                func = _import_function(cfg["function"], f"{where}.function", list(search_dirs))
            elif cfg["name"] in BUILTIN:
                func = BUILTIN[cfg["name"]]
            else:
                raise RewardError(f"{where}.name: unknown reward '{cfg['name']}' (built-in: "
                                  f"{', '.join(BUILTIN)}; or give \"function\": \"module:function\")")
            options = {"cap": cfg["cap"]} if "cap" in cfg else {}
            self.components.append((cfg["name"], float(cfg.get("weight", 1.0)), func, options))

    @property
    def names(self):
        return [name for name, _, _, _ in self.components]

    def score_group(self, prompt, reference, completions):
        """Returns (total reward per completion, [{name: value}] per completion)."""
        n = len(completions)
        components = [dict() for _ in range(n)]
        totals = [0.0] * n
        for name, weight, func, options in self.components:
            values = func([prompt] * n, list(completions), [reference] * n, **options)
            values = _check_values(name, values, n)
            for i, v in enumerate(values):
                components[i][name] = v
                totals[i] += weight * v
        return totals, components


def _check_values(name, values, n):
    try:
        values = [float(v) for v in values]
    except (TypeError, ValueError):
        raise ValueError(f"reward '{name}' must return a list of numbers") from None
    if len(values) != n:
        raise ValueError(f"reward '{name}' returned {len(values)} values for {n} completions")
    if any(math.isnan(v) for v in values):
        raise ValueError(f"reward '{name}' returned NaN")
    return values
