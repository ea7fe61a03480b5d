"""Running one student's file in child processes, with time limits, and reading back its answers.

The child (``child.py``) answers one JSON line per event on a pipe of its own. Here the parent
waits for each line with a deadline: our own start-up (not the student's time), the import,
each part, and the whole file. When a part runs out of time or the process dies, the process
group is killed, that part is recorded, and a fresh child carries on with the parts after it,
so one endless loop costs one part, not the student's whole grade. Nothing is unpickled: the
answers are JSON numbers and strings.
"""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from words import Text, error

ROOT = str(Path(__file__).resolve().parents[2])  # the folder holding the grading package
BOOT = ("import sys; sys.path.insert(0, sys.argv[1]); "
        "from grading.checker.child import main; main()")
_TIMEOUT, _EOF = object(), object()


@dataclass(frozen=True)
class Limits:
    """How long and how much a student's file may take. Times are wall seconds of the
    student's code: the import, each part, the whole file (our own start-up is not counted)."""

    import_time: float = 5.0
    part_time: float = 2.0
    file_time: float = 8.0
    memory_mb: int = 1024
    stack_mb: int = 256
    recursion: int = 30_000  # 6x the deep chain: cheap to reach for an endless recursion
    startup_time: float = 60.0  # the child's own imports, on a busy machine

    def __post_init__(self) -> None:
        for name in ("import_time", "part_time", "file_time", "memory_mb", "stack_mb",
                     "recursion", "startup_time"):
            value = getattr(self, name)
            if not (isinstance(value, (int, float)) and value > 0):
                raise error(ValueError, Text("{name} must be a number > 0, got {value}",
                                             name=name, value=repr(value)))


@dataclass
class Outcome:
    """What the child processes answered: a load error, or one answer per part key (the
    child's own, or ``timeout``/``crashed``/``not_run`` written here)."""

    load_error: dict | None = None
    parts: dict[str, dict] = field(default_factory=dict)


class CheckerBroken(RuntimeError):
    """The child could not even start gategrad's side: not the student's fault."""


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1",
               PYTHONDONTWRITEBYTECODE="1")
    return env


class _Child:
    """One child process and a thread reading its answer lines into a queue."""

    def __init__(self, spec: dict, work: str) -> None:
        read_fd, write_fd = os.pipe()
        self.stderr = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            [sys.executable, "-c", BOOT, ROOT, json.dumps({**spec, "fd": write_fd})],
            cwd=work, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=self.stderr,
            pass_fds=(write_fd,), start_new_session=True, env=_env())
        os.close(write_fd)
        self.lines: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, args=(read_fd,), daemon=True).start()

    def _read(self, fd: int) -> None:
        with os.fdopen(fd, "rb") as pipe:
            for line in pipe:
                self.lines.put(line)
        self.lines.put(_EOF)

    def next(self, seconds: float):
        """The next answer, ``_TIMEOUT`` after ``seconds``, or ``_EOF`` when the child is gone."""
        try:
            line = self.lines.get(timeout=max(seconds, 0.0))
        except queue.Empty:
            return _TIMEOUT
        return line if line is _EOF else json.loads(line)

    def kill(self) -> None:
        try:
            os.killpg(self.process.pid, signal.SIGKILL)  # the student's own children too
        except (ProcessLookupError, PermissionError, AttributeError):
            self.process.kill()

    def ended(self) -> dict:
        """How the process ended: exit status and the end of what it wrote on stderr."""
        try:
            code = self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.kill()
            code = self.process.wait()
        self.stderr.seek(0)
        tail = self.stderr.read().decode("utf-8", "replace").strip().splitlines()[-3:]
        self.stderr.close()
        return {"code": code, "stderr": "\n".join(tail)[-400:]}


def run(spec: dict, keys: list[str], limits: Limits) -> Outcome:
    """Every part of ``keys`` answered, through as many child processes as time-outs need."""
    outcome, remaining = Outcome(), list(keys)
    budget = limits.file_time
    spec = {**spec, "recursion": limits.recursion, "stack_mb": limits.stack_mb,
            "memory_mb": limits.memory_mb}
    first = True
    while remaining:
        if budget <= 0:
            for key in remaining:
                outcome.parts[key] = {"status": "not_run", "seconds": limits.file_time}
            break
        budget -= _session({**spec, "parts": remaining}, remaining, limits, budget, outcome,
                           first)
        first = False
        if outcome.load_error is not None:
            break
    return outcome


def _session(spec: dict, remaining: list[str], limits: Limits, budget: float,
             outcome: Outcome, first: bool) -> float:
    """One child: answers until it ends or runs out of time; the student's seconds spent.
    Answered keys are taken off ``remaining``."""
    with tempfile.TemporaryDirectory(prefix="gategrad-check-") as work:
        child = _Child(spec, work)
        try:
            ready = child.next(limits.startup_time)
            if ready is _TIMEOUT or ready is _EOF:
                child.kill()
                raise CheckerBroken(f"the grading process did not start: {child.ended()}")
            start = time.monotonic()

            def left(limit: float) -> float:
                return min(limit, budget - (time.monotonic() - start))

            loaded = child.next(left(limits.import_time))
            if loaded is _TIMEOUT or loaded is _EOF or loaded["event"] == "load_error":
                if loaded is _TIMEOUT:
                    child.kill()
                error = (loaded if isinstance(loaded, dict) else
                         {"kind": "import_timeout", "seconds": limits.import_time}
                         if loaded is _TIMEOUT else {"kind": "died", **child.ended()})
                if first:
                    outcome.load_error = error
                else:  # it loaded the first time: what is left was not run
                    for key in remaining:
                        outcome.parts[key] = {"status": "not_run", "seconds": limits.file_time}
                    remaining.clear()
                return time.monotonic() - start
            while remaining:
                key = remaining[0]
                seconds = left(limits.part_time)
                answer = child.next(seconds)
                if answer is _TIMEOUT:
                    child.kill()
                    whole_file = seconds < limits.part_time
                    outcome.parts[key] = {"status": "timeout", "file": whole_file,
                                          "seconds": limits.file_time if whole_file
                                          else limits.part_time}
                    remaining.pop(0)
                    break
                if answer is _EOF:
                    outcome.parts[key] = {"status": "crashed", **child.ended()}
                    remaining.pop(0)
                    break
                if answer.get("type") == "MemoryError":
                    answer["memory_mb"] = limits.memory_mb
                outcome.parts[answer["key"]] = answer
                remaining.pop(0)
            return time.monotonic() - start
        finally:
            if child.process.poll() is None:
                child.kill()
            child.process.wait()
            child.stderr.close()
