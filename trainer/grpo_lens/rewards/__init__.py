"""Rewards: weighted components, built-in or user functions given as 'module:function'."""
import importlib
import sys

from .builtin import BUILTIN
from .guard import RewardFailure, call_with_limit, check_values, describe
from .trl import convention_of, fit_arguments, trl_arguments


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


def none_hint(value):
    """TRL lets a reward return None for "not applicable": say how to get that here."""
    if value is not None:
        return ""
    return '; to treat None as "not applicable" as TRL does, set "invalid_reward": "skip"'


class RewardSet:
    """The reward components of a config, scored a group at a time.

    invalid: "fail" stops the run on a NaN, inf or non-number value; "skip" treats it as
    not applicable (None: 0 in the weighted sum, like TRL's None).  timeout_s limits each
    call of a user function (0: no limit)."""

    def __init__(self, reward_configs, search_dirs=(), invalid="fail", timeout_s=0):
        self.components = []
        self.conventions = {}  # reward name -> "grpo_lens" or "trl" (rewards/trl.py)
        self.invalid, self.timeout_s = invalid, timeout_s
        for i, cfg in enumerate(reward_configs):
            where = f"config error: rewards[{i}]"
            if "function" in cfg:
                func = _import_function(cfg["function"], f"{where}.function", list(search_dirs))
                label = f"reward '{cfg['name']}' ({cfg['function']})"
            elif cfg["name"] in BUILTIN:
                func, label = BUILTIN[cfg["name"]], f"reward '{cfg['name']}'"
            else:
                raise RewardError(f"{where}.name: unknown reward '{cfg['name']}' (built-in: "
                                  f"{', '.join(BUILTIN)}; or give \"function\": \"module:function\")")
            options = {"cap": cfg["cap"]} if "cap" in cfg else {}
            self.components.append((cfg["name"], float(cfg.get("weight", 1.0)), func, options, label))
            self.conventions[cfg["name"]] = convention_of(func, cfg.get("convention", "auto"))

    @property
    def names(self):
        return [c[0] for c in self.components]

    def score_group(self, prompt, reference, completions, where="", completion_ids=None):
        """Returns (total reward per completion, [{name: value}] per completion)."""
        totals, components, _ = self.score_group_checked(prompt, reference, completions, where,
                                                         completion_ids)
        return totals, components

    def score_group_checked(self, prompt, reference, completions, where="", completion_ids=None):
        """Also returns {name: (count, first bad value)} of the values skipped as invalid.
        `where` (e.g. "at step 3, group 1, prompt '...'") ends every failure message.
        completion_ids (token ids per completion) is passed to TRL-style rewards when given.
        A TRL-style reward's None means "not applicable": left out of the sum, never an error."""
        n = len(completions)
        components = [dict() for _ in range(n)]
        totals = [0.0] * n
        skipped = {}
        for name, weight, func, options, label in self.components:
            args, kwargs = ([prompt] * n, list(completions), [reference] * n), options
            trl = self.conventions[name] == "trl"
            try:
                if trl:
                    given = trl_arguments(prompt, reference, completions, completion_ids)
                    args, kwargs = (), fit_arguments(label, func, given)
                builtin = func in BUILTIN.values()  # ours: no worker thread needed
                raw = call_with_limit(label, func, args, kwargs, None if builtin else self.timeout_s)
                values = check_values(label, raw, n)
            except RewardFailure as e:
                raise RewardFailure(f"{e} {where}".rstrip()) from e.__cause__
            for i, v in enumerate(values):
                if trl and raw[i] is None:  # TRL's "not applicable": NaN there, nansum/nanmean
                    components[i][name] = None
                    continue
                if v is None and self.invalid != "skip":
                    raise RewardFailure(f"{label} returned {describe(raw[i])} for completion {i + 1} "
                                        f"of {n} {where}".rstrip() + none_hint(raw[i]))
                if v is None:
                    count, first = skipped.get(name, (0, describe(raw[i])))
                    skipped[name] = (count + 1, first)
                components[i][name] = v
                totals[i] += weight * v if v is not None else 0.0
        return totals, components, skipped
