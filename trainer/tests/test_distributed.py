"""Data parallel under torchrun (distributed.py), on the CPU with gloo: two ranks equal one
process on the same global batch; control, checkpoints, bit-exact resume and kill -9 across
ranks, through real torchrun processes (grpo_lens.torchrun) and the real control files."""
import json
import os
import signal
import socket
import subprocess
import sys

import pytest
import torch

from helpers import TRAINER_DIR, events, read_jsonl, read_status, send, tiny_config, wait_for, write_config

WORKER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "ddp_update_worker.py")
TIMEOUT = 240  # generous: a loaded 2-core machine runs three interpreters with torch here


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def env(**extra):
    return dict(os.environ, PYTHONPATH=TRAINER_DIR, GRPO_LENS_LOG_REDIRECTED="0", OMP_NUM_THREADS="1",
                **extra)


def run_update(config_path, out, world_size, mode="weights"):
    """The worker in world_size processes, started with the variables torchrun sets."""
    port = str(free_port())
    procs = []
    for rank in range(world_size):
        extra = {} if world_size == 1 else dict(
            RANK=str(rank), LOCAL_RANK=str(rank), WORLD_SIZE=str(world_size),
            LOCAL_WORLD_SIZE=str(world_size), MASTER_ADDR="127.0.0.1", MASTER_PORT=port)
        procs.append(subprocess.Popen([sys.executable, WORKER, config_path, out, mode], env=env(**extra),
                                      cwd=TRAINER_DIR,
                                      stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True))
    for p in procs:
        output, _ = p.communicate(timeout=TIMEOUT)
        assert p.returncode == 0, output
    return [torch.load(f"{out}.rank{r}") for r in range(world_size)]


def test_two_ranks_equal_one_process_on_the_same_global_batch(tmp_path):
    # scale_rewards batch: the ranks' rewards spread differently (ddp_update_worker.py), so only
    # the std of both ranks' rewards together gives one process's advantages
    for loss_type, scale in (("grpo", "group"), ("dr_grpo", "group"), ("dapo", "group"), ("grpo", "batch")):
        config = tiny_config(prompts_per_step=4, num_generations=4, warm_start={"steps": 0},
                             loss_type=loss_type, num_iterations=2, learning_rate=0.01, scale_rewards=scale)
        name = f"{loss_type}-{scale}"
        cfg = write_config(tmp_path / f"{name}.json", config)
        (one,) = run_update(cfg, str(tmp_path / f"one-{name}"), 1)
        two = run_update(cfg, str(tmp_path / f"two-{name}"), 2)
        both = torch.cat([two[0]["advantages"], two[1]["advantages"]])
        assert torch.allclose(both, one["advantages"], rtol=1e-5, atol=1e-6), (name, both, one["advantages"])
        for step in range(2):  # the loss of the global batch is the mean of the ranks' losses
            mean = sum(r["losses"][step] for r in two) / 2
            assert mean == pytest.approx(one["losses"][step], rel=1e-5, abs=1e-7)
        for name, weight in one["weights"].items():
            assert torch.equal(two[0]["weights"][name], two[1]["weights"][name]), f"ranks differ in {name}"
            # atol 1e-4 against updates of ~4e-2: Adam divides by sqrt(v), so where the true gradient is
            # 0 (the attention key bias: softmax ignores a shift) summation-order noise becomes a step
            assert torch.allclose(two[0]["weights"][name], weight, rtol=1e-5, atol=1e-4), name
        assert any(not torch.equal(w, one["initial"][n]) for n, w in one["weights"].items())


def test_the_merged_line_is_one_process_s_line_on_the_same_global_batch(tmp_path):
    # completions of different lengths and components with skipped values (ddp_update_worker.py):
    # the ranks hold different token and value counts, so the mean of their means is off
    from grpo_lens.rank_merge import merge_metrics
    cases = {"dapo": dict(num_iterations=2, steps_per_generation=2, epsilon=0.02),  # 4 optimizer steps
             "bnpo": {}}  # one step: bnpo ranks each divide by their own tokens, so they train apart after it
    for loss_type, extra in cases.items():
        config = tiny_config(prompts_per_step=4, num_generations=4, warm_start={"steps": 0},
                             loss_type=loss_type, learning_rate=0.01, **extra)
        cfg = write_config(tmp_path / f"{loss_type}.json", config)
        (one,) = run_update(cfg, str(tmp_path / f"one-{loss_type}"), 1, "lines")
        two = run_update(cfg, str(tmp_path / f"two-{loss_type}"), 2, "lines")
        expected, merged = one["own"][0], two[0]["merged"]
        assert list(merged) == list(expected) and type(merged) is dict  # no weight among the keys
        for key, value in expected.items():
            if loss_type == "bnpo" and key == "grad_norm":  # the ranks train apart (their gradient)
                continue
            assert merged[key] == pytest.approx(value, rel=1e-5, abs=1e-7), (loss_type, key, merged, value)
        plain = merge_metrics([r["own"][0] for r in two])  # the ranks' lines alone: a mean of means
        off = {k for k, v in expected.items() if plain[k] != pytest.approx(v, rel=1e-5, abs=1e-7)}
        names = sorted(k for k in expected if k.startswith("rewards/"))
        if loss_type == "dapo":  # (entropy too, though a tiny model's is near log V at every token)
            assert expected["clip_ratio/region_mean"] > 0 and expected["kl"] > 0
            assert {"kl", "clip_ratio/low_mean", "clip_ratio/region_mean", *names[1:]} <= off, off
        else:
            assert "loss" in off, off


def torchrun(args, **kwargs):
    """torchrun --standalone --nproc_per_node 2 -m grpo_lens ARGS (grpo_lens.torchrun: torchrun
    with Debian's torch 1.13 on Python 3.11 fixed)."""
    cmd = [sys.executable, "-m", "grpo_lens.torchrun", "--standalone", "--nproc_per_node", "2",
           "-m", "grpo_lens", *args]
    return subprocess.Popen(cmd, env=env(), cwd=TRAINER_DIR, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, start_new_session=True, **kwargs)


def finish(proc, timeout=TIMEOUT):
    try:
        output, _ = proc.communicate(timeout=timeout)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    return proc.returncode, output


def live_config(tmp_path, **overrides):
    settings = {"max_steps": 100000, "checkpoint_every": 0, "warm_start": {"steps": 0}, "prompts_per_step": 2}
    return write_config(tmp_path / "live.grpo.json", tiny_config(**dict(settings, **overrides)))


def step_of(run):
    return read_status(run)["step"]


def test_control_reaches_every_rank(tmp_path):
    run = str(tmp_path / "run")
    proc = torchrun(["--config", live_config(tmp_path), "--run-dir", run])
    try:
        wait_for(lambda: step_of(run) >= 2, timeout=TIMEOUT, what="training to start")
        send(run, "p1", "pause")
        wait_for(lambda: read_status(run)["state"] == "paused", timeout=60, what="paused")
        paused_at = step_of(run)
        send(run, "c1", "checkpoint")
        ck = wait_for(lambda: [e for e in events(run, "checkpoint") if e.get("ids") == ["c1"]], timeout=60,
                      what="checkpoint")[0]
        assert ck["step"] == paused_at and step_of(run) == paused_at
        rng = torch.load(os.path.join(run, ck["path"], "rng.pt"))
        assert rng["world_size"] == 2 and len(rng["ranks"]) == 2  # every rank's RNG states
        assert not torch.equal(rng["ranks"][0]["sampling"], rng["ranks"][1]["sampling"])
        send(run, "r1", "resume")
        wait_for(lambda: step_of(run) > paused_at + 1, timeout=60, what="steps after resume")
        send(run, "s1", "stop")
        code, output = finish(proc)
    finally:
        finish(proc, timeout=1) if proc.poll() is None else None
    assert code == 0, output
    status = read_status(run)
    assert status["state"] == "stopped"
    # both ranks stopped at the same step: the one the checkpoint and status name
    for rank in (0, 1):
        assert f"grpo-lens: stopped at step {status['step']} (rank {rank} of 2)" in output, output
    assert [e["id"] for e in events(run, "ack")] == ["p1", "c1", "r1", "s1"]
    run_json = json.load(open(os.path.join(run, "run.json")))
    assert run_json["distributed"] == {"world_size": 2, "backend": "gloo", "nproc_per_node": 2, "nnodes": 1}
    assert run_json["config"]["prompts_per_step"] == 2  # the run's, not a rank's share
    groups = {(s["step"], s["group"]) for s in read_jsonl(os.path.join(run, "samples.jsonl"))}
    assert {(1, 0), (1, 1)} <= groups  # each rank's group, gathered by rank 0


def test_resume_at_two_ranks_is_bit_exact_and_another_world_size_is_refused(tmp_path):
    run = str(tmp_path / "run")
    cfg = live_config(tmp_path, max_steps=8, checkpoint_every=4, save_total_limit=5, num_iterations=2)
    code, output = finish(torchrun(["--config", cfg, "--run-dir", run]))
    assert code == 0, output
    whole = read_jsonl(os.path.join(run, "metrics.jsonl"))
    whole_samples = read_jsonl(os.path.join(run, "samples.jsonl"))
    ckpt = os.path.join(run, "checkpoints", "step-000004")
    alone = subprocess.run([sys.executable, "-m", "grpo_lens", "--resume", ckpt], env=env(), cwd=TRAINER_DIR,
                           capture_output=True, text=True, timeout=TIMEOUT)
    assert alone.returncode == 2
    assert "saved by 2 process(es) and this run has 1" in alone.stderr, alone.stderr
    code, output = finish(torchrun(["--resume", ckpt]))
    assert code == 0, output

    def comparable(row):
        return {k: v for k, v in row.items()
                if k not in ("time", "tokens_per_s") and not k.startswith("timing/")}
    after = read_jsonl(os.path.join(run, "metrics.jsonl"))[len(whole):]
    assert [r["step"] for r in after] == [5, 6, 7, 8]
    assert [comparable(r) for r in after] == [comparable(r) for r in whole[4:]]
    samples = read_jsonl(os.path.join(run, "samples.jsonl"))[len(whole_samples):]
    assert samples == [s for s in whole_samples if s["step"] > 4]


def test_kill_9_of_a_rank_leaves_the_run_readable_and_resumable(tmp_path):
    run = str(tmp_path / "run")
    proc = torchrun(["--config", live_config(tmp_path, checkpoint_every=3), "--run-dir", run])
    try:
        wait_for(lambda: step_of(run) >= 7, timeout=TIMEOUT, what="some steps")
        rank0 = read_status(run)["pid"]
        workers = subprocess.run(["pgrep", "-g", str(proc.pid), "-f", "-x", ".*-m grpo_lens .*"],
                                 capture_output=True, text=True).stdout.split()
        rank1 = [int(p) for p in workers if int(p) not in (rank0, proc.pid)]
        assert len(rank1) == 1, workers
        os.kill(rank1[0], signal.SIGKILL)
        code, output = finish(proc)
    finally:
        finish(proc, timeout=1) if proc.poll() is None else None
    assert code != 0
    for name in ("metrics.jsonl", "samples.jsonl", "events.jsonl"):
        read_jsonl(os.path.join(run, name), allow_torn_last=True)
    status = read_status(run)  # a whole JSON file, whatever the state it was left in
    ckpts = sorted(d for d in os.listdir(os.path.join(run, "checkpoints")) if d.startswith("step-"))
    for d in ckpts:
        assert os.path.isfile(os.path.join(run, "checkpoints", d, "trainer_state.json"))
    resume_step = int(ckpts[-1][5:])
    assert resume_step <= status["step"]
    short = write_config(tmp_path / "short.grpo.json",
                         tiny_config(max_steps=resume_step + 2, checkpoint_every=3, warm_start={"steps": 0}))
    last = os.path.join(run, "checkpoints", ckpts[-1])
    code, output = finish(torchrun(["--config", short, "--resume", last]))
    assert code == 0, output
    rows = read_jsonl(os.path.join(run, "metrics.jsonl"))
    assert [r["step"] for r in rows][-2:] == [resume_step + 1, resume_step + 2]
    assert read_status(run)["state"] == "finished"


def test_each_rank_takes_its_share_of_every_global_batch():
    from grpo_lens.distributed import RankShare

    class Task:
        def problem(self, i):
            return i
    # 6 prompts a step on 3 ranks: each rank 2, advancing by 2 (its local position)
    shares = [RankShare(Task(), r, 3, 2) for r in range(3)]
    for step in range(3):
        local = [[s.problem(step * 2 + i) for i in range(2)] for s in shares]
        assert sum(local, []) == list(range(step * 6, step * 6 + 6))


def test_rank_0_writes_one_line_reduced_over_ranks_and_every_rank_s_groups():
    from grpo_lens.rank_merge import merge_metrics, merge_samples
    lines = [{"step": 3, "reward": 0.5, "completions/min_length": 2, "completions/max_length": 5,
              "timing/step_s": 1.0, "tokens_per_s": 10.0, "rewards/x/invalid": 1, "lr": 0.1},
             {"step": 3, "reward": 1.0, "completions/min_length": 1, "completions/max_length": 4,
              "timing/step_s": 2.0, "tokens_per_s": 30.0, "rewards/x/invalid": 2, "lr": 0.1}]
    assert merge_metrics(lines) == {"step": 3, "reward": 0.75, "completions/min_length": 1,
                                    "completions/max_length": 5, "timing/step_s": 2.0, "tokens_per_s": 40.0,
                                    "rewards/x/invalid": 3, "lr": 0.1}
    samples = merge_samples([[{"step": 1, "group": 0}, {"step": 1, "group": 1}], [{"step": 1, "group": 0}]])
    assert [s["group"] for s in samples] == [0, 1, 2]


def test_a_failure_on_another_rank_is_the_run_s_reason(tmp_path):
    (tmp_path / "rank_reward.py").write_text(
        "import os\n\n\ndef score(prompts, completions, references):\n"
        "    if os.environ.get('RANK') == '1':\n"
        "        raise ValueError('the answers table is on rank 0 only')\n"
        "    return [0.0 for _ in completions]\n")
    reward = {"name": "mine", "function": "rank_reward:score", "weight": 1.0}
    cfg = live_config(tmp_path, rewards=[{"name": "accuracy", "weight": 1.0}, reward])
    run = str(tmp_path / "run")
    code, output = finish(torchrun(["--config", cfg, "--run-dir", run]))
    assert code != 0, output
    status = read_status(run)
    assert status["state"] == "failed", status
    assert status["error"].startswith("rank 1: reward 'mine' (rank_reward:score) raised ValueError"), status
    assert "the answers table is on rank 0 only" in status["error"]


def test_grpo_lens_torchrun_parses_torchrun_s_redirect_options():
    from grpo_lens.torchrun import _fix_std_from_str
    _fix_std_from_str()
    from torch.distributed.elastic.multiprocessing.api import Std
    assert Std.from_str("0") == Std.NONE and Std.from_str("3") == Std.ALL
    assert Std.from_str("0:3,1:0") == {0: Std.ALL, 1: Std.NONE}


def test_standalone_gets_a_free_port_not_torch_1_s_fixed_29400():
    from grpo_lens.torchrun import standalone_on_a_free_port
    args = ["--nproc_per_node", "2", "--standalone", "-m", "grpo_lens", "--standalone"]
    fixed = standalone_on_a_free_port(args)
    if int(torch.__version__.split(".")[0]) >= 2:
        assert fixed == args
        return
    at = fixed.index("--rdzv_endpoint")
    assert fixed[:3] == ["--nproc_per_node", "2", "--rdzv_backend"] and fixed[at + 1] != "localhost:29400"
    assert fixed[-3:] == ["-m", "grpo_lens", "--standalone"]  # the trainer's own arguments are left alone
