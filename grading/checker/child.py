"""The child process: one student's file, loaded and run on the battery, answers as JSON lines.

Started by ``sandbox.run_child`` as ``python -c BOOT ROOT SPEC`` in a fresh temporary working
directory, with stdout thrown away (a student's prints cannot mix with the answers) and the
answers written, one JSON object per line, to a pipe of their own (``spec["fd"]``):

    {"event": "ready"}                                  our own imports are done
    {"event": "loaded"} | {"event": "load_error", "kind": ..., "message": ...}
    {"event": "part", "key": ..., "status": "done" | "not_attempted" | "error", ...}

Before the student's module is imported: a memory limit (RLIMIT_AS: what the process already
holds, plus the worker's stack, plus ``memory_mb``), a high recursion limit and a worker thread
with a large stack (a correct engine with a recursive topological sort passes a 5,000-gate
chain), the network refused (``socket.socket`` and ``create_connection`` replaced), no bytecode
written next to the student's file. This stops mistakes, not malice: hostile code needs a
container. The parent enforces the time limits by killing the process group.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import os
import socket
import sys
import threading
import traceback
from pathlib import Path

from .battery import BY_KEY
from .builder import Builder, NotAttempted, Unusable

HERE = str(Path(__file__).resolve().parent)
FLAT_POINTS = (  # (w, x) for the notes' neuron: the notes' own point first
    ([2.0, -3.0, -3.0], [-1.0, -2.0]),
    ([0.5, -1.2, 0.3], [1.5, 0.7]),
    ([-1.1, 0.4, 2.0], [0.3, -2.2]),
)
H = 1e-5  # central differences of the student's forward


class _Sender:
    def __init__(self, fd: int) -> None:
        self.out = os.fdopen(fd, "w", encoding="utf-8")

    def __call__(self, **message) -> None:
        self.out.write(json.dumps(message) + "\n")
        self.out.flush()


def _limit_memory(extra_mb: int) -> None:
    """RLIMIT_AS = the address space held now + ``extra_mb`` (Linux; elsewhere no limit)."""
    try:
        import resource

        status = Path("/proc/self/status").read_text()
        held = next(int(line.split()[1]) * 1024 for line in status.splitlines()
                    if line.startswith("VmSize:"))
        limit = held + extra_mb * 2 ** 20
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, OSError, StopIteration, ValueError):
        pass


def _refuse_network() -> None:
    """Sockets cannot be made: a student's mistake cannot reach the network (not malice-proof)."""
    def refuse(*args, **kwargs):
        raise PermissionError("gategrad check: the network is switched off while grading")

    class NoSocket(socket.socket):  # a subclass, so `class X(socket.socket)` still imports
        def __init__(self, *args, **kwargs):
            refuse()

    socket.socket = NoSocket  # type: ignore[misc]
    socket.create_connection = refuse  # type: ignore[assignment]
    socket.getaddrinfo = refuse  # type: ignore[assignment]


def where(error: BaseException) -> list | None:
    """``[file name, line, function]`` of the last frame outside the checker (the student's
    code; function None for a syntax error). Walked without reading source lines: an endless
    recursion leaves 30,000 frames."""
    if isinstance(error, SyntaxError) and error.filename:
        return [Path(error.filename).name, error.lineno, None]
    last = None
    for frame, line in traceback.walk_tb(error.__traceback__):
        if not frame.f_code.co_filename.startswith(HERE):
            last = [Path(frame.f_code.co_filename).name, line, frame.f_code.co_name]
    return last


def _error(error: BaseException) -> dict:
    try:
        message = str(error) if not isinstance(error, SystemExit) else repr(error.code)
    except Exception:  # noqa: BLE001 - a student's exception whose __str__ fails
        message = ""
    return {"type": type(error).__name__, "message": message[:300], "where": where(error)}


def _load(spec: dict):
    """The student's module, from a file path or an importable module name."""
    source = spec["source"]
    if "path" in source:
        path = Path(source["path"])
        sys.path.insert(0, str(path.parent))  # as `python file.py` does: sibling imports work
        module_spec = importlib.util.spec_from_file_location("_gategrad_student", path)
        module = importlib.util.module_from_spec(module_spec)
        sys.modules["_gategrad_student"] = module
        module_spec.loader.exec_module(module)
        return module
    sys.path[:0] = source["sys_path"]
    return importlib.import_module(source["module"])


def _class(module, name: str, send) -> type | None:
    cls = getattr(module, name, None)
    if cls is None:
        send(event="load_error", kind="no_class", message=name)
    elif not isinstance(cls, type):
        send(event="load_error", kind="not_a_class", message=name)
    elif not callable(getattr(cls, "backward", None)):
        send(event="load_error", kind="no_backward", message=name)
    else:
        return cls
    return None


def _functions(module, send):
    missing = [n for n in ("forward", "backward") if not callable(getattr(module, n, None))]
    if missing:
        send(event="load_error", kind="no_function", message=", ".join(missing))
        return None
    return module.forward, module.backward


def run_part(cls: type, key: str) -> dict:
    """One part of the battery on the student's class: its snapshots, or why it stopped."""
    builder = Builder(cls)
    try:
        BY_KEY[key].recipe(builder)
    except NotAttempted as missing:
        return {"status": "not_attempted", "operation": missing.what, "detail": missing.detail}
    except BaseException as error:  # noqa: BLE001 - the student's code: sys.exit included
        done = [g.snapshots for g in builder.graphs if g.snapshots]
        if isinstance(error, Unusable):
            return {"status": "error", "graphs": done, "type": error.kind,
                    "params": error.params, "message": "", "where": None}
        return {"status": "error", "graphs": done, **_error(error)}
    return {"status": "done", "graphs": [g.snapshots for g in builder.graphs]}


def _number(x) -> float:
    return float(x)


def _flat_outputs(forward, backward, w: list[float], x: list[float]) -> dict:
    """forward(w, x) and backward(w, x) read as the notes name them: f (and dot), ddot, dx, dw."""
    out = forward(list(w), list(x))
    got: dict = {}
    if isinstance(out, dict):
        got.update({k: _number(out[k]) for k in ("f", "dot") if k in out})
    else:
        got["f"] = _number(out)
    back = backward(list(w), list(x))
    if isinstance(back, dict):
        if "ddot" in back:
            got["ddot"] = _number(back["ddot"])
        for k in ("dx", "dw"):
            if k in back:
                got[k] = [_number(v) for v in back[k]]
    else:
        dx, dw = back
        got["dx"], got["dw"] = [_number(v) for v in dx], [_number(v) for v in dw]
    return got


def _numeric(forward, w: list[float], x: list[float]) -> dict:
    """Central differences of the student's own forward, for every w[i] and x[i]."""
    def f(w, x):
        out = forward(list(w), list(x))
        return _number(out["f"] if isinstance(out, dict) else out)

    def slope(vector: list[float], i: int, call) -> float:
        up, down = list(vector), list(vector)
        up[i] += H
        down[i] -= H
        return (call(up) - call(down)) / (2 * H)

    return {"nw": [slope(w, i, lambda v: f(v, x)) for i in range(len(w))],
            "nx": [slope(x, i, lambda v: f(w, v)) for i in range(len(x))]}


def run_flat(functions) -> dict:
    forward, backward = functions
    points = []
    try:
        for w, x in FLAT_POINTS:
            points.append({**_flat_outputs(forward, backward, w, x), **_numeric(forward, w, x)})
    except BaseException as error:  # noqa: BLE001
        return {"status": "error", "points": points, **_error(error)}
    return {"status": "done", "points": points}


def _work(spec: dict, send) -> None:
    threading.stack_size(0)  # the big stack is this thread's: a student's threads get the usual
    sys.dont_write_bytecode = True
    try:
        module = _load(spec)
    except SyntaxError as error:
        send(event="load_error", kind="syntax", message=f"{error.msg}", where=where(error))
        return
    except BaseException as error:  # noqa: BLE001 - sys.exit at import included
        kind = "exit" if isinstance(error, SystemExit) else "exception"
        send(event="load_error", kind=kind, **_error(error))
        return
    if spec["mode"] == "flat":
        functions = _functions(module, send)
        if functions is not None:
            send(event="loaded")
            send(event="part", key="flat", **run_flat(functions))
        return
    cls = _class(module, spec["class"], send)
    if cls is None:
        return
    send(event="loaded")
    for key in spec["parts"]:
        send(event="part", key=key, **run_part(cls, key))


def main() -> None:
    spec = json.loads(sys.argv[2])
    send = _Sender(spec["fd"])
    send(event="ready")
    sys.setrecursionlimit(spec["recursion"])
    threading.stack_size(spec["stack_mb"] * 2 ** 20)
    _limit_memory(spec["stack_mb"] + spec["memory_mb"])
    _refuse_network()
    worker = threading.Thread(target=_work, args=(spec, send), daemon=True)
    worker.start()
    worker.join()
    os._exit(0)  # threads a student started do not keep the process alive
