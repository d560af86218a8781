import sys


def _run():
    try:
        from .cli import main
    except ImportError as e:
        if e.name != "torch":
            raise
        sys.stderr.write(f"grpo-lens: error: PyTorch is not installed for {sys.executable} "
                         "(pip install torch, or pick the Python that has it)\n")
        return 1
    return main()


if __name__ == "__main__":
    sys.exit(_run())
