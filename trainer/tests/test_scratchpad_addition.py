"""The demo task: two-digit addition with a scratchpad, and the rewards that score it."""
import pytest

from grpo_lens.config import load_config
from grpo_lens.rewards import RewardSet
from grpo_lens.rewards.builtin import accuracy, format_reward, scratchpad
from grpo_lens.tasks import build_task
from grpo_lens.tasks.scratchpad_addition import miscopied, operands, scratchpad_steps, target
from helpers import TRAINER_DIR


def test_problems_are_two_digit_sums_fixed_by_seed_and_position():
    a = build_task({"name": "scratchpad_addition"}, seed=5)
    b = build_task({"name": "scratchpad_addition"}, seed=5)
    problems = [a.problem(i) for i in range(200)]
    assert problems == [b.problem(i) for i in range(200)]
    assert problems != [build_task({"name": "scratchpad_addition"}, seed=6).problem(i) for i in range(200)]
    for p in problems:
        x, y = operands(p.prompt)
        assert p.prompt == f"{x}+{y}=" and 10 <= x <= 99 and 10 <= y <= 99
        assert p.reference == str(x + y)
    # both kinds of problem occur: with a carry out of the units and without
    carries = {"carry 1" in p.target for p in problems}
    assert carries == {True, False}


def test_operand_range_is_configurable_and_checked():
    t = build_task({"name": "scratchpad_addition", "min_operand": 0, "max_operand": 9}, seed=0)
    assert all(max(operands(t.problem(i).prompt)) <= 9 for i in range(50))
    with pytest.raises(ValueError, match="max_operand"):
        build_task({"name": "scratchpad_addition", "max_operand": 120}, seed=0)


@pytest.mark.parametrize("a, b, expected", [
    (47, 35, "<think>7+5=12 carry 1, 4+3+1=8</think><answer>82</answer>"),
    (12, 34, "<think>2+4=6 carry 0, 1+3+0=4</think><answer>46</answer>"),
    (99, 99, "<think>9+9=18 carry 1, 9+9+1=19</think><answer>198</answer>"),
    (50, 60, "<think>0+0=0 carry 0, 5+6+0=11</think><answer>110</answer>"),
])
def test_scratchpad_is_the_school_method_units_first(a, b, expected):
    assert target(a, b) == expected


def test_every_target_is_consistent_with_its_answer():
    t = build_task({"name": "scratchpad_addition"}, seed=0)
    for i in range(300):
        p = t.problem(i)
        units, _, tens = p.target[len("<think>"):p.target.index("</think>")].partition(" carry ")
        tens_sum = int(tens.split("=")[-1])
        assert p.reference == f"{tens_sum}{int(units.split('=')[-1]) % 10}"


def test_a_careless_teacher_miscopies_the_answer_but_never_the_work():
    clean = build_task({"name": "scratchpad_addition"}, seed=1)
    careless = build_task({"name": "scratchpad_addition", "slip_rate": 0.5}, seed=1)
    slipped = 0
    for i in range(1000):
        right, p = clean.problem(i), careless.problem(i)
        assert (p.prompt, p.reference) == (right.prompt, right.reference)  # same sums, true answers
        work, answer = p.target.split("<answer>")
        assert work == right.target.split("<answer>")[0]  # the scratchpad is always right
        if answer != f"{p.reference}</answer>":
            slipped += 1
            assert answer[:-len("</answer>")] in (miscopied(p.reference, -1), miscopied(p.reference, 1))
    assert 430 < slipped < 570
    assert all(clean.problem(i).target.endswith(f"<answer>{clean.problem(i).reference}</answer>")
               for i in range(1000))


def test_miscopied_changes_only_the_last_digit():
    assert [miscopied("82", -1), miscopied("82", 1), miscopied("109", 1), miscopied("130", -1)] == \
        ["81", "83", "100", "139"]


def test_scratchpad_steps_of_a_prompt():
    assert scratchpad_steps("47+35=") == ["7+5=12", "4+3+1=8"]
    assert scratchpad_steps("What is 3?") is None


PROMPT, REF = "47+35=", "82"
HAND_WRITTEN = {
    "correct": "<think>7+5=12 carry 1, 4+3+1=8</think><answer>82</answer>",
    "wrong answer, right steps": "<think>7+5=12 carry 1, 4+3+1=8</think><answer>72</answer>",
    "forgot the carry": "<think>7+5=12 carry 0, 4+3+0=7</think><answer>72</answer>",
    "wrong units sum": "<think>7+5=11 carry 1, 4+3+1=8</think><answer>81</answer>",
    "malformed: answer first": "<answer>82</answer><think>7+5=12 carry 1, 4+3+1=8</think>",
    "missing think tags": "7+5=12 carry 1, 4+3+1=8<answer>82</answer>",
    "missing answer tags": "<think>7+5=12 carry 1, 4+3+1=8</think>82",
    "empty": "",
}
# accuracy, format, scratchpad for each hand-written completion
EXPECTED = {
    "correct": (1.0, 1.0, 1.0),
    "wrong answer, right steps": (0.0, 1.0, 1.0),
    "forgot the carry": (0.0, 1.0, 0.5),
    "wrong units sum": (0.0, 1.0, 0.5),
    "malformed: answer first": (1.0, 0.75, 1.0),
    "missing think tags": (1.0, 0.5, 0.0),
    "missing answer tags": (1.0, 0.5, 1.0),  # accuracy reads the last number; format is what drops
    "empty": (0.0, 0.0, 0.0),
}


@pytest.mark.parametrize("case", list(HAND_WRITTEN))
def test_reward_functions_on_hand_written_completions(case):
    c = HAND_WRITTEN[case]
    got = (accuracy([PROMPT], [c], [REF])[0], format_reward([PROMPT], [c], [REF])[0],
           scratchpad([PROMPT], [c], [REF])[0])
    assert got == EXPECTED[case]


def test_scratchpad_reward_is_zero_for_other_tasks_prompts():
    for prompt in ("12-5=", "What is 3+4?", "123+4="):
        assert scratchpad([prompt], ["<think>2+4=6 carry 0, 1+0+0=1</think>"], ["x"]) == [0.0]


def test_demo_config_scores_its_components_separately():
    config = load_config(f"{TRAINER_DIR}/configs/reasoning-demo.grpo.json")
    assert config["task"]["name"] == "scratchpad_addition"
    rewards = RewardSet(config["rewards"])
    assert rewards.names == ["accuracy", "format", "scratchpad"]
    totals, components = rewards.score_group(PROMPT, REF, [HAND_WRITTEN["correct"],
                                                           HAND_WRITTEN["forgot the carry"]])
    assert components[1] == {"accuracy": 0.0, "format": 1.0, "scratchpad": 0.5}
    weights = {r["name"]: r.get("weight", 1.0) for r in config["rewards"]}
    assert totals[0] == pytest.approx(sum(weights.values()))
    assert totals[1] == pytest.approx(weights["format"] + 0.5 * weights["scratchpad"])
    # the longest completion fits the model and the completion limit
    longest = len(target(99, 99)) + 1  # + EOS
    assert longest <= config["max_completion_length"]
    assert len("99+99=") + 1 + config["max_completion_length"] <= config["model"]["block_size"]
