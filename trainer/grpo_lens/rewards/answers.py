"""Pull the final answer out of a completion and compare answers."""
import re

_ANSWER_TAG = re.compile(r"<answer>(.*?)</answer>", re.DOTALL)
_NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?")


def extract_answer(text):
    """<answer>X</answer> if present, else the text after '####', else the last number."""
    tagged = _ANSWER_TAG.findall(text)
    if tagged:
        return tagged[-1].strip()
    if "####" in text:
        return text.split("####")[-1].strip()
    numbers = _NUMBER.findall(text)
    return numbers[-1] if numbers else None


def normalise(answer):
    """Numbers compare by value ('1,000' == '1000.0'); other text by stripped lower case."""
    if answer is None:
        return None
    text = answer.strip().replace(",", "").replace("$", "").rstrip(".")
    try:
        value = float(text)
        return repr(int(value)) if value.is_integer() else repr(value)
    except ValueError:
        return text.lower() or None
