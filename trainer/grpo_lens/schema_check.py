"""A small JSON Schema (draft-07 subset) validator that also fills in defaults.

Covers what config.schema.json uses: type, properties, required, additionalProperties,
items, enum, minimum/maximum (and exclusive), minLength, minItems, pattern, default, $ref
to #/definitions.  The first problem found is raised with the path of the field.
"""
import re

_TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "null": lambda v: v is None,
}


class SchemaError(ValueError):
    """A value does not match the schema; `path` names the field."""

    def __init__(self, path, message):
        super().__init__(f"{path or '(top level)'}: {message}")
        self.path = path


def _join(path, key):
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def _resolve(schema, root):
    ref = schema.get("$ref")
    if ref is None:
        return schema
    node = root
    for part in ref.lstrip("#/").split("/"):
        node = node[part]
    return node


def validate(value, schema, root=None, path=""):
    """Check value against schema, filling in defaults in place; returns value."""
    root = root or schema
    schema = _resolve(schema, root)
    _check_type(value, schema, path)
    _check_scalar(value, schema, path)
    if isinstance(value, dict):
        _check_object(value, schema, root, path)
    elif isinstance(value, list):
        _check_array(value, schema, root, path)
    return value


def _check_type(value, schema, path):
    types = schema.get("type")
    if types is None:
        return
    types = [types] if isinstance(types, str) else types
    if not any(_TYPES[t](value) for t in types):
        raise SchemaError(path, f"must be of type {' or '.join(types)} (got {_show(value)})")


def _check_scalar(value, schema, path):
    if "enum" in schema and value not in schema["enum"]:
        allowed = ", ".join(repr(v) for v in schema["enum"])
        raise SchemaError(path, f"must be one of {allowed} (got {_show(value)})")
    if _TYPES["number"](value):
        _check_bounds(value, schema, path)
    if isinstance(value, str):
        if len(value) < schema.get("minLength", 0):
            raise SchemaError(path, f"must have at least {schema['minLength']} characters")
        if "pattern" in schema and not re.search(schema["pattern"], value):
            raise SchemaError(path, f"does not match the pattern {schema['pattern']} (got {_show(value)})")


def _check_bounds(value, schema, path):
    checks = [
        ("minimum", lambda b: value >= b, ">="), ("maximum", lambda b: value <= b, "<="),
        ("exclusiveMinimum", lambda b: value > b, ">"), ("exclusiveMaximum", lambda b: value < b, "<"),
    ]
    for key, ok, word in checks:
        if key in schema and not ok(schema[key]):
            raise SchemaError(path, f"must be {word} {schema[key]} (got {_show(value)})")


def _check_object(value, schema, root, path):
    props = schema.get("properties", {})
    for key in schema.get("required", []):
        if key not in value:
            raise SchemaError(_join(path, key), "is required")
    extra = schema.get("additionalProperties", True)
    for key in list(value):
        if key in props:
            validate(value[key], props[key], root, _join(path, key))
        elif extra is False:
            known = ", ".join(sorted(props))
            raise SchemaError(_join(path, key), f"is not a known option (known: {known})")
        elif isinstance(extra, dict):
            validate(value[key], extra, root, _join(path, key))
    for key, sub in props.items():
        sub = _resolve(sub, root)
        if key not in value and "default" in sub:
            value[key] = sub["default"]


def _check_array(value, schema, root, path):
    if len(value) < schema.get("minItems", 0):
        raise SchemaError(path, f"must have at least {schema['minItems']} item(s)")
    if "maxItems" in schema and len(value) > schema["maxItems"]:
        raise SchemaError(path, f"must have at most {schema['maxItems']} item(s)")
    if "items" in schema:
        for i, item in enumerate(value):
            validate(item, schema["items"], root, _join(path, i))


def _show(value):
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
