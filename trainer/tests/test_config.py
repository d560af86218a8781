import json
import os

import pytest

from grpo_lens import cli
from grpo_lens.config import SCHEMA_PATH, ConfigError, parse_config_text, resolve_config, strip_comments

from helpers import TEST_CONFIG, read_status, tiny_config, write_config


def test_strip_comments_keeps_strings():
    text = '{"a": "x // not a comment", /* block\n comment */ "b": "/* kept */", // tail\n "c": "\\"//"}'
    assert json.loads(strip_comments(text)) == {"a": "x // not a comment", "b": "/* kept */", "c": '"//'}


def test_shipped_configs_are_valid():
    for name in ("tiny-test.grpo.json", "tiny-demo.grpo.json"):
        with open(os.path.join(os.path.dirname(TEST_CONFIG), name), encoding="utf-8") as f:
            config = resolve_config(parse_config_text(f.read()))
        assert config["epsilon_high"] == config["epsilon"] or "epsilon_high" in config


def test_defaults_filled_in():
    config = resolve_config({"model": {"type": "tiny"}, "task": {"name": "arithmetic"},
                             "rewards": [{"name": "accuracy"}]})
    assert config["loss_type"] == "grpo" and config["scale_rewards"] == "group"
    assert config["model"]["n_layer"] == 2 and config["epsilon_high"] == 0.2
    assert config["rewards"][0]["weight"] == 1.0


@pytest.mark.parametrize("change, field", [
    ({"epsilon": -1}, "epsilon"),
    ({"loss_type": "ppo"}, "loss_type"),
    ({"num_generations": "8"}, "num_generations"),
    ({"bogus": 1}, "bogus"),
    ({"model": {"type": "tiny", "n_embd": 30, "n_head": 4}}, "model.n_embd"),
    ({"rewards": [{"name": "accuracy", "weight": "x"}]}, "rewards[0].weight"),
])
def test_invalid_config_names_the_field(change, field):
    with pytest.raises(ConfigError) as e:
        resolve_config(tiny_config(**change))
    message = str(e.value)
    assert field in message and "\n" not in message


def test_schema_has_descriptions_everywhere():
    with open(SCHEMA_PATH, encoding="utf-8") as f:
        schema = json.load(f)
    assert schema["$schema"].startswith("http://json-schema.org/draft-07")

    def walk(node, path):
        for key, sub in node.get("properties", {}).items():
            assert sub.get("description"), f"{path}.{key} has no description"
            walk(sub, f"{path}.{key}")
        if isinstance(node.get("items"), dict):
            walk(node["items"], path + "[]")
    walk(schema, "")


def test_broken_config_exits_2_with_failed_status(tmp_path, capsys):
    cfg = write_config(tmp_path / "bad.grpo.json", tiny_config(temperature=0))
    run_dir = str(tmp_path / "run")
    assert cli.main(["--config", cfg, "--run-dir", run_dir]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert "temperature" in err[-1] and err[-1].startswith("grpo-lens: error:")
    status = read_status(run_dir)
    assert status["state"] == "failed" and "temperature" in status["error"]
    with open(os.path.join(run_dir, "run.json"), encoding="utf-8") as f:  # listed before the config loads
        assert json.load(f)["config"] is None


def test_not_json_exits_2(tmp_path, capsys):
    path = tmp_path / "x.grpo.json"
    path.write_text('{"model": ')
    assert cli.main(["--config", str(path), "--run-dir", str(tmp_path / "r")]) == 2
    assert "not valid JSON" in capsys.readouterr().err.strip().splitlines()[-1]


def test_existing_run_dir_is_left_alone(tmp_path, capsys):
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    (run_dir / "run.json").write_text("{}")
    (run_dir / "status.json").write_text('{"state": "finished"}')
    cfg = write_config(tmp_path / "c.grpo.json", tiny_config())
    assert cli.main(["--config", cfg, "--run-dir", str(run_dir)]) == 2
    assert "already holds a run" in capsys.readouterr().err
    assert read_status(str(run_dir)) == {"state": "finished"}


SYNTAX_CASES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "config_syntax_cases.json")


def test_config_syntax_is_the_extensions():
    # the same cases as test/unit/trainer/configSyntax.test.ts: one rule on both sides
    with open(SYNTAX_CASES, encoding="utf-8") as f:
        cases = json.load(f)["cases"]
    for case in cases:
        try:
            parse_config_text(case["text"])
            accepted = True
        except ConfigError:
            accepted = False
        assert accepted == case["valid"], case["name"]
