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
