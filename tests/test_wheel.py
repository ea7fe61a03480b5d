"""gategrad installed from its wheel, outside the checkout, works as a student would use it.

The test builds the sdist and the wheel (``python -m build``, the wheel made from the sdist, so
the sdist is complete too), checks them with ``twine check``, then installs the wheel into a
fresh venv inside the test's temporary folder and runs the command and the imports there, with
the temporary folder as the working directory and no PYTHONPATH.

Dependencies without the network: the new venv does not see the checkout's ``.venv`` as a
site folder; one line in a ``.pth`` file appends the directory of the running interpreter's
installed packages (numpy, graphviz, matplotlib, ...) to its ``sys.path``, *after* its own
site-packages. A path line in a ``.pth`` file does not run the ``.pth`` files it points at, so
the editable install of the checkout there (``__editable__...pth``) stays switched off: every
gategrad module must come from the wheel, which the test checks by the modules' ``__file__``.
The wheel is installed with ``--no-deps --no-index``; its declared dependencies are checked
against its metadata.
"""

from __future__ import annotations

import email
import os
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("words", "engine", "nn", "grading", "viz", "demos", "gategrad")

pytestmark = pytest.mark.slow


def run(*args, cwd: Path, env: dict | None = None, timeout: int = 300):
    done = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout)
    assert done.returncode == 0, f"{args} failed:\n{done.stdout}\n{done.stderr}"
    return done


def expected_files() -> set[str]:
    """What the wheel must carry, read off the checkout: every module of every package and
    every file the packages read at run time (catalogues, the page's assets, the notebook)."""
    wanted = set()
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*"):
            if "__pycache__" in path.parts or not path.is_file():
                continue
            if path.suffix in (".py", ".mo", ".po", ".js", ".css", ".ipynb") or (
                    path.parent.name == "page" and path.suffix in (".html", ".json")):
                wanted.add(path.relative_to(ROOT).as_posix())
    return wanted


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    dist = tmp_path_factory.mktemp("dist")
    run(sys.executable, "-m", "build", "--no-isolation", "--outdir", dist, ROOT, cwd=ROOT)
    wheels, sdists = sorted(dist.glob("*.whl")), sorted(dist.glob("*.tar.gz"))
    assert len(wheels) == 1 and len(sdists) == 1, sorted(dist.iterdir())
    return {"wheel": wheels[0], "sdist": sdists[0]}


def test_twine_check_passes(built):
    done = run(sys.executable, "-m", "twine", "check", "--strict", built["wheel"],
               built["sdist"], cwd=ROOT)
    assert done.stdout.count("PASSED") == 2


def test_the_wheel_ships_the_packages_and_their_data_and_not_the_tests(built):
    with zipfile.ZipFile(built["wheel"]) as wheel:
        names = set(wheel.namelist())
        metadata = email.message_from_string(
            wheel.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode())
    missing = expected_files() - names
    assert not missing, f"not in the wheel: {sorted(missing)}"
    assert "words/locale/zh_CN/LC_MESSAGES/demos.mo" in names
    assert not [n for n in names if n.startswith("tests/") or "/tests/" in n]
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    tops = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
    assert tops == set(PACKAGES)

    assert metadata["Name"] == "gategrad"
    assert metadata["License-Expression"] == "MIT"
    classifiers = metadata.get_all("Classifier")
    for c in ("Intended Audience :: Education", "Topic :: Education",
              "Programming Language :: Python :: 3.10", "Programming Language :: Python :: 3.11",
              "Programming Language :: Python :: 3.12"):
        assert c in classifiers
    assert metadata["Requires-Python"] == ">=3.10"
    assert set(metadata.get_all("Provides-Extra")) >= {"demo", "render", "test", "video",
                                                       "notebook", "bench"}
    requires = [r.split(";")[0].strip() for r in metadata.get_all("Requires-Dist")
                if "extra ==" not in r]
    assert sorted(requires) == ["graphviz>=0.20", "numpy>=1.24", "tqdm>=4.60",
                                "wcwidth>=0.2.6"]


@pytest.fixture(scope="module")
def installed(built, tmp_path_factory) -> dict:
    home = tmp_path_factory.mktemp("outside")
    env_dir = home / "venv"
    venv.EnvBuilder(with_pip=True, system_site_packages=False, clear=True).create(env_dir)
    bin_dir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    python = bin_dir / "python"
    site = Path(run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))",
                    cwd=home).stdout.strip())
    (site / "_gategrad_test_deps.pth").write_text(sysconfig.get_path("purelib") + "\n")
    run(python, "-m", "pip", "install", "--no-deps", "--no-index", "--quiet", built["wheel"],
        cwd=home)
    work = home / "class"
    work.mkdir()
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "VIRTUAL_ENV", "GATEGRAD_LANG", "PYTHONHOME")}
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    return {"python": python, "bin": bin_dir, "cwd": work, "env": env, "venv": env_dir}


def test_imports_come_from_the_venv_not_the_checkout(installed):
    code = ("import engine, nn, viz, demos, gategrad, words\n"
            "for m in (engine, nn, viz, demos, gategrad, words): print(m.__file__)")
    done = run(installed["python"], "-c", code, cwd=installed["cwd"], env=installed["env"])
    files = done.stdout.split()
    assert len(files) == 6
    for f in files:
        assert Path(f).resolve().is_relative_to(installed["venv"].resolve()), f
        assert not Path(f).resolve().is_relative_to(ROOT), f
    # The test suite is not installed.
    gone = subprocess.run([str(installed["python"]), "-c", "import tests.examples"],
                          cwd=installed["cwd"], env=installed["env"], capture_output=True)
    assert gone.returncode != 0


def test_the_catalogues_are_installed_and_read(installed):
    code = ("from words import gettext\n"
            "print(gettext('Loss and accuracy: {path}', 'zh'))")
    done = run(installed["python"], "-c", code, cwd=installed["cwd"], env=installed["env"])
    assert done.stdout.strip() == "损失和准确率：{path}"


def test_gategrad_demo_gates_runs(installed):
    done = run(installed["bin"] / "gategrad", "demo", "gates", cwd=installed["cwd"],
               env=installed["env"])
    # The CS231n numbers: f = sigmoid(1) = 0.7311; the engine's df/dw0 = -0.196612.
    assert "0.731059" in done.stdout and "-0.196612" in done.stdout
    assert (installed["cwd"] / "out" / "gates.svg").read_text().startswith("<?xml")


def test_gategrad_stepper_writes_a_page(installed):
    run(installed["bin"] / "gategrad", "stepper", "x*y", "--set", "x=1", "y=2", "-o", "p.html",
        cwd=installed["cwd"], env=installed["env"])
    page = (installed["cwd"] / "p.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<svg" in page
