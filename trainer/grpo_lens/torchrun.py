"""`python3 -m grpo_lens.torchrun ARGS…` is `torchrun ARGS…` (torch.distributed.run), with one
fix: torch < 2.0 on Python >= 3.11 (Debian 12's python3-torch 1.13) cannot parse its own
default `--redirects 0 --tee 0` (Std.from_str returns None: a zero IntFlag is not iterated
on 3.11), so every torchrun fails before it starts a worker.  The fix is applied only where
that bug is present; elsewhere this is torchrun unchanged."""
import re
import sys


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


def main(argv=None):
    _fix_std_from_str()
    from torch.distributed.run import main as torchrun_main
    torchrun_main(sys.argv[1:] if argv is None else argv)


if __name__ == "__main__":
    main()
