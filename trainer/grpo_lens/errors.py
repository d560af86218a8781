"""Errors the command line reports in one line; torch-free, so that cli.py imports no torch."""


class MissingPackage(RuntimeError):
    """An optional package the config needs is not installed; the message is one line."""


class DataError(ValueError):
    """A prompts/data file cannot be used; the message is one line naming the file and line."""
