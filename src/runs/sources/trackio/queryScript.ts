// The Python side of the Trackio reader, run as `python -c QUERY_SCRIPT <db> <request>`.
// Python's own sqlite3 module is the SQLite every Trackio user already has (Trackio
// writes with it); it reads a live WAL database correctly without writing anything,
// which no SQLite library for Node 20 and Electron does (docs/trackio-sqlite.md).
//
// How the database is opened (main() below): read-only, never writing a read mark into
// -shm, never creating -wal or -shm next to a closed database.
// A locked database answers {"error": "locked"}.
//
// One JSON line per record on stdout; the last line is {"end": ...}, so a reader can
// tell a complete answer from a killed process.
export const QUERY_SCRIPT = String.raw`
import json, os, pathlib, sqlite3, sys

BUFFER = None  # lines held back while a read may still be discarded

def finite(o):
    if isinstance(o, float) and o != o or o in (float("inf"), float("-inf")):
        return None
    if isinstance(o, dict):
        return {k: finite(v) for k, v in o.items()}
    if isinstance(o, list):
        return [finite(v) for v in o]
    return o

def emit(o):
    try:
        line = json.dumps(o, separators=(",", ":"), allow_nan=False)
    except ValueError:  # a non-finite float: JSON (and JavaScript's parser) has none
        line = json.dumps(finite(o), separators=(",", ":"))
    if BUFFER is None:
        sys.stdout.write(line + "\n")
    else:
        BUFFER.append(line)

def text(v):
    return v.decode("utf-8", "replace") if isinstance(v, (bytes, bytearray)) else v

def record_of(body):
    """A metrics record as a dict, or None when it is corrupt."""
    try:
        record = json.loads(body, parse_constant=lambda c: None)
    except (ValueError, TypeError):
        return None
    return record if isinstance(record, dict) else None

def scalars(body):
    """Top-level values of a metrics record that are not media or tables."""
    record = record_of(body)
    return None if record is None else {k: v for k, v in record.items() if not isinstance(v, (dict, list))}

def tables(body):
    record = record_of(body)
    if record is None:
        return None
    return {k: v for k, v in record.items()
            if isinstance(v, dict) and v.get("_type") == "trackio.table" and isinstance(v.get("_value"), list)}

def flat(body):
    """No table, media or list in it: the reader parses it (and counts it if corrupt)."""
    return isinstance(body, str) and body.count("{") == 1 and "[" not in body

def step_of(values, step):
    s = values.get("train/global_step")
    return s if isinstance(s, (int, float)) and not isinstance(s, bool) else step

def rows(conn, req, cols):
    """Rows after an id, ascending; or, with "steps", the rows of the last N steps."""
    ts = "timestamp" if "timestamp" in cols else "NULL"
    tail = req.get("steps")
    cur = conn.execute(
        "SELECT id, step, " + ts + ", metrics FROM metrics WHERE run_name = ? AND id > ? ORDER BY id "
        + ("DESC" if tail else "ASC"), (req["run"], req.get("after", 0)))
    steps, kept, last = set(), [], req.get("after", 0)
    for id_, step, stamp, body in cur:
        last = max(last, id_)
        body = text(body)
        if not tail and flat(body):
            emit({"id": id_, "step": step, "time": stamp, "json": body})
            continue
        values = scalars(body)
        record = {"id": id_, "bad": True} if values is None else {"id": id_, "step": step, "time": stamp, "values": values}
        if values == {}:
            continue
        if tail:
            s = step_of(values, step) if values else None
            if s is not None and s not in steps and len(steps) >= tail:
                break
            steps.add(s)
            kept.append(record)
        else:
            emit(record)
    for record in reversed(kept):
        emit(record)
    return {"last": last, "seq": high_water(conn)}

def high_water(conn):
    """AUTOINCREMENT's highest id ever: below an id already read means a new table."""
    seq = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'metrics'").fetchone()
    return seq[0] if seq else 0

def table_index(conn, req):
    cur = conn.execute(
        "SELECT id, step, metrics FROM metrics WHERE run_name = ? AND id > ? AND instr(metrics, ?) > 0 ORDER BY id",
        (req["run"], req.get("after", 0), '"trackio.table"'))
    last = req.get("after", 0)
    for id_, step, body in cur:
        last = id_
        found = tables(text(body))
        if found is None:
            emit({"id": id_, "bad": True})
            continue
        for key, table in found.items():
            steps = []
            for row in table["_value"]:
                s = row.get("step", step) if isinstance(row, dict) else step
                if isinstance(s, (int, float)) and s not in steps:
                    steps.append(s)
            emit({"id": id_, "key": key, "steps": steps or [step]})
    return {"last": last, "seq": high_water(conn)}

def table_rows(conn, req):
    row = conn.execute("SELECT step, metrics FROM metrics WHERE id = ?", (req["id"],)).fetchone()
    found = tables(text(row[1])) if row else None
    if found is None:
        emit({"bad": True})
    elif req["key"] in found:
        emit({"step": row[0], "rows": found[req["key"]]["_value"]})
    return {}

def facts(conn, req, cols):
    out = {}
    if "timestamp" in cols:
        first = conn.execute("SELECT timestamp FROM metrics WHERE run_name = ? ORDER BY id LIMIT 1", (req["run"],)).fetchone()
        out["started"] = first[0] if first else None
    try:
        config = conn.execute("SELECT config FROM configs WHERE run_name = ? ORDER BY id DESC LIMIT 1", (req["run"],)).fetchone()
        out["config"] = text(config[0]) if config else None
    except sqlite3.OperationalError as e:
        out["configProblem"] = str(e)
    return out

def query(uri, req):
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=req.get("timeout", 0.5))
        cols = [r[1] for r in conn.execute("PRAGMA table_info(metrics)")]
        if not cols:
            return {"error": "no-table"}
        missing = [c for c in ("id", "run_name", "step", "metrics") if c not in cols]
        if missing:
            return {"error": "schema", "missing": missing, "columns": cols}
        op = req["op"]
        if op == "runs":
            return {"runs": [r[0] for r in conn.execute("SELECT DISTINCT run_name FROM metrics")]}
        if op == "rows":
            return rows(conn, req, cols)
        if op == "tables":
            return table_index(conn, req)
        if op == "table":
            return table_rows(conn, req)
        if op == "facts":
            return facts(conn, req, cols)
        return {"error": "op", "message": op}
    except sqlite3.OperationalError as e:
        locked = "locked" in str(e) or "busy" in str(e)
        return {"error": "locked" if locked else "sqlite", "message": str(e)}
    except sqlite3.DatabaseError as e:
        return {"error": "sqlite", "message": str(e)}

def file_state(path):
    try:
        s = os.stat(path)
        return (s.st_ino, s.st_size, s.st_mtime_ns, s.st_ctime_ns)
    except OSError:
        return None

def main():
    """Opens the database the one way that reads it fully and writes nothing.

    WAL database with a -wal file (a connection is open, or one died): mode=ro and
    readonly_shm, SQLite's own WAL reading. WAL database without one: every row is in the
    main file, but SQLite would create -wal and -shm to read it, so it is read immutable
    (no locks, no files), and the answer is kept only if the file did not change meanwhile
    (a writer's checkpoint). Rollback-journal database (Trackio on Spaces): mode=ro.
    """
    global BUFFER
    db, req = sys.argv[1], json.loads(sys.argv[2])
    path = pathlib.Path(db).absolute()
    try:
        with open(path, "rb") as f:
            wal_mode = f.read(20)[18:19] == b"\x02"
    except OSError as e:
        return {"error": "sqlite", "message": str(e)}
    wal = str(path) + "-wal"
    for attempt in range(3):
        if not wal_mode or os.path.exists(wal):
            return query(path.as_uri() + ("?mode=ro&readonly_shm=1" if wal_mode else "?mode=ro"), req)
        before, BUFFER = file_state(path), []
        end = query(path.as_uri() + "?mode=ro&immutable=1", req)
        lines, BUFFER = BUFFER, None
        if file_state(path) == before and not os.path.exists(wal):
            for line in lines:
                sys.stdout.write(line + "\n")
            return end
    return {"error": "locked", "message": "the database kept changing while it was read"}

emit({"end": main()})
`;
