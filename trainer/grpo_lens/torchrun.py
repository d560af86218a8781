"""`python3 -m grpo_lens.torchrun ARGS…` is `torchrun ARGS…` (torch.distributed.run), with two
fixes for torch < 2.0, each applied only where its bug is present:
- on Python >= 3.11 (Debian 12's python3-torch 1.13) torchrun cannot parse its own default
  `--redirects 0 --tee 0` (Std.from_str returns None: a zero IntFlag is not iterated on
  3.11), so every torchrun fails before it starts a worker;
- `--standalone` rendezvous on the fixed port 29400, so a second run on the machine (or one
  started while the last one's agent still shuts down) joins the wrong store and fails:
  here it gets a free port, as torch >= 2.0 does."""
import re
import socket
import sys
import uuid


def _fix_std_from_str():
    from torch.distributed.elastic.multiprocessing import api
    if api.Std.from_str("0") is not None:
        return
    original = api.Std.from_str.__func__

    def from_str(cls, vm):
        vm = vm.strip()
        if vm.isdigit():  # "0" .. "3"
            return cls(int(vm))
        if re.match(api._MAPPING_REGEX, vm):  # "0:3,1:0": per local rank
            return {int(i): cls(int(v)) for i, v in (m.split(":") for m in vm.split(","))}
        return original(cls, vm)

    api.Std.from_str = classmethod(from_str)


def standalone_on_a_free_port(argv):
    """torchrun's arguments with torch 1.x's `--standalone` (port 29400) spelled out on a free
    port; unchanged where --standalone is absent or torch is >= 2.0."""
    import torch
    if "--standalone" not in argv or int(torch.__version__.split(".")[0]) >= 2:
        return list(argv)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    at = argv.index("--standalone")
    return argv[:at] + ["--rdzv_backend", "c10d", "--rdzv_endpoint", f"localhost:{port}",
                        "--rdzv_id", uuid.uuid4().hex] + argv[at + 1:]


def main(argv=None):
    _fix_std_from_str()
    from torch.distributed.run import main as torchrun_main
    torchrun_main(standalone_on_a_free_port(sys.argv[1:] if argv is None else argv))


if __name__ == "__main__":
    main()
