"""Calling a user's reward function safely: a time limit, its exception reported with the
line of the user's own file, and every returned value checked before it reaches a loss."""
import math
import os
import sys
import threading
import traceback


class RewardFailure(ValueError):
    """A reward function misbehaved while scoring; the message is one line and names the
    function, the step, the group and the prompt.  The cause (if any) is chained."""


def cut(text, limit=80):
    """A prompt for a one-line message: at most `limit` characters, newlines escaped."""
    text = str(text)
    return repr(text if len(text) <= limit else text[:limit - 3] + "...")


def _user_frame(frames, user_file):
    """The last frame in the user's file, else the last frame outside this package."""
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    for f in reversed(frames):
        if user_file and os.path.abspath(f.filename) == user_file:
            return f
    for f in reversed(frames):
        if not os.path.abspath(f.filename).startswith(package + os.sep):
            return f
    return frames[-1] if frames else None


def _where(frames, user_file):
    f = _user_frame(frames, user_file)
    return f" ({os.path.basename(f.filename)}:{f.lineno} in {f.name})" if f else ""


def source_file(func):
    code = getattr(func, "__code__", None)
    return os.path.abspath(code.co_filename) if code else None


def call_with_limit(label, func, args, kwargs, timeout_s):
    """func(*args, **kwargs) in a daemon worker thread, waiting at most timeout_s seconds
    (no timeout_s: on this thread, no limit).  A thread (not signal.alarm) works on any OS,
    off the main thread and under torchrun; a hung function cannot be killed, but the run
    stops and the process exits around it (the thread is a daemon)."""
    result = {}
    if not timeout_s:
        try:
            return func(*args, **kwargs)
        except Exception as e:
            _raise_from(label, func, e)

    def work():
        try:
            result["value"] = func(*args, **kwargs)
        except BaseException as e:  # reported on the calling thread
            result["error"] = e

    worker = threading.Thread(target=work, name=f"reward {label}", daemon=True)
    worker.start()
    worker.join(timeout_s)
    if worker.is_alive():
        frame = sys._current_frames().get(worker.ident)
        stack = traceback.extract_stack(frame) if frame is not None else []
        if stack:  # where it hangs, for train.log
            sys.stderr.write(f"reward {label} still running after {timeout_s:g} s, at:\n"
                             + "".join(traceback.format_list(stack)))
        raise RewardFailure(f"{label} did not return within {timeout_s:g} s (reward_timeout_s)"
                            f"{_where(stack, source_file(func))}")
    if "error" in result:
        _raise_from(label, func, result["error"])
    return result["value"]


def _raise_from(label, func, e):
    frames = traceback.extract_tb(e.__traceback__)
    message = f"{type(e).__name__}: {e}".splitlines()[0] if str(e) else type(e).__name__
    raise RewardFailure(f"{label} raised {message}{_where(frames, source_file(func))}") from e


def describe(value):
    """A bad value in a few words: NaN, inf, None, a str ('abc'), a dict."""
    if value is None:
        return "None"
    if isinstance(value, float) and math.isnan(value):
        return "NaN"
    if isinstance(value, float) and math.isinf(value):
        return "inf" if value > 0 else "-inf"
    if isinstance(value, str):
        return f"a str ({cut(value, 20)})"
    return f"a {type(value).__name__}"


def as_number(value):
    """A finite float, or None when the value cannot be used as a reward."""
    if isinstance(value, bool) or value is None or isinstance(value, (str, bytes)):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def check_values(label, values, n):
    """The values as [float or None]; raises on a wrong shape.  None marks an invalid value."""
    if isinstance(values, (str, bytes, dict)) or not hasattr(values, "__len__"):
        raise RewardFailure(f"{label} returned {describe(values)}, not a list of {n} numbers")
    if len(values) != n:
        raise RewardFailure(f"{label} returned {len(values)} values for {n} completions")
    return [as_number(v) for v in values]
