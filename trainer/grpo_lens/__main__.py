import sys


def _run():
    from .cli import NO_TORCH, main  # torch-free
    try:
        return main()  # training fails in one line without torch; --help works without it
    except ImportError as e:  # `score` imports torch
        if e.name != "torch":
            raise
        sys.stderr.write(f"grpo-lens: error: {NO_TORCH.format(sys.executable)}\n")
        return 1


if __name__ == "__main__":
    sys.exit(_run())
