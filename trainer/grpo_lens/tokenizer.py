"""Character tokenizer of the built-in tiny model: a fixed vocabulary, so ids never change."""

SPECIAL = ["<pad>", "<bos>", "<eos>"]
CHARS = ["\n"] + [chr(c) for c in range(32, 127)]


class CharTokenizer:
    """One token per character; characters outside printable ASCII become '?'."""

    def __init__(self):
        self.vocab = SPECIAL + CHARS
        self.pad_id, self.bos_id, self.eos_id = 0, 1, 2
        self._ids = {tok: i for i, tok in enumerate(self.vocab)}
        self._unknown = self._ids["?"]

    @property
    def vocab_size(self):
        return len(self.vocab)

    def encode(self, text):
        return [self._ids.get(c, self._unknown) for c in text]

    def decode(self, ids):
        """Text of ids, stopping at EOS and skipping special tokens."""
        out = []
        for i in ids:
            if i == self.eos_id:
                break
            if i >= len(SPECIAL):
                out.append(self.vocab[i])
        return "".join(out)

    def token_text(self, token_id):
        return self.vocab[token_id]

    def to_json_dict(self):
        """The tokenizer.json form other tools (ONNX inspection in TypeScript) read."""
        return {"type": "char", "vocab": list(self.vocab), "bos_id": self.bos_id,
                "eos_id": self.eos_id, "pad_id": self.pad_id}


def eos_id_list(*sources):
    """Every EOS id named by the sources (an int, a list of ints or None), sorted, once each:
    a Hugging Face generation_config's eos_token_id (Qwen2.5-Instruct: [151645, 151643]) and
    the tokenizer's eos_token_id."""
    ids = set()
    for source in sources:
        if source is None:
            continue
        for i in (source if isinstance(source, (list, tuple, set)) else [source]):
            if i is not None:
                ids.add(int(i))
    return sorted(ids)


def _byte_level_alphabet():
    """GPT-2's byte-level BPE alphabet: byte b is written as the character BYTE_CHARS[b]
    (printable bytes as themselves, the others shifted to U+0100 and up)."""
    keep = list(range(ord("!"), ord("~") + 1)) + list(range(0xA1, 0xAD)) + list(range(0xAE, 0x100))
    chars, shift = {}, 0
    for b in range(256):
        if b in keep:
            chars[b] = chr(b)
        else:
            chars[b] = chr(256 + shift)
            shift += 1
    return {c: b for b, c in chars.items()}


BYTE_OF_CHAR = _byte_level_alphabet()


def byte_level_text(piece):
    """A byte-level BPE token ('Ġhello', 'ä¸') as text; bytes that are part of a longer UTF-8
    character show as \\xNN escapes instead of U+FFFD, so each token of a multi-byte
    character stays distinguishable.  None when piece is not byte-level."""
    if piece is None or any(c not in BYTE_OF_CHAR for c in piece):
        return None
    return bytes(BYTE_OF_CHAR[c] for c in piece).decode("utf-8", errors="backslashreplace")


class HFTokenizer:
    """Adapts a transformers tokenizer to the interface the loop uses; every EOS id counts."""

    def __init__(self, tok, eos_ids=()):
        self.tok = tok
        if tok.pad_token_id is None:
            tok.pad_token = tok.eos_token
        self.pad_id, self.bos_id = tok.pad_token_id, tok.bos_token_id
        self.eos_ids = eos_id_list(*eos_ids, tok.eos_token_id)
        self.eos_id = tok.eos_token_id if tok.eos_token_id is not None else self.eos_ids[0]

    @property
    def vocab_size(self):
        return len(self.tok)

    def encode(self, text):
        return self.tok.encode(text, add_special_tokens=False)

    def decode(self, ids):
        """Text of the ids before the first EOS, special tokens skipped."""
        ids = list(ids)
        ends = [ids.index(e) for e in self.eos_ids if e in ids]
        return self.tok.decode(ids[:min(ends)] if ends else ids, skip_special_tokens=True)

    def token_text(self, token_id):
        text = self.tok.decode([token_id])
        if "\ufffd" in text:  # a piece of a multi-byte character: show its bytes
            return byte_level_text(self.tok.convert_ids_to_tokens(token_id)) or text
        return text
