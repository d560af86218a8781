"""Errors the command line reports in one line; torch-free, so that cli.py imports no torch."""


class MissingPackage(RuntimeError):
    """An optional package the config needs is not installed; the message is one line."""
