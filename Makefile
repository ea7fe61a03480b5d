# The two commands a newcomer runs: `make demo` and `make test`.
# Each creates .venv when it is missing and installs only what is not there yet.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test notebook lint bench docs catalogues mutants system-graphviz system-chromium \
	system-fonts clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Stamps re-run pip only when pyproject.toml changes. The fonts come first (order-only, so
# even `make -j` installs them before anything that draws is installed or run).
$(VENV)/.demo-installed: pyproject.toml | system-fonts $(BIN)/python
	$(BIN)/pip install -q -e '.[demo]'
	touch $@

# JupyterLab for `make notebook` (the `notebook` extra).
$(VENV)/.notebook-installed: pyproject.toml | system-fonts $(BIN)/python
	$(BIN)/pip install -q -e '.[notebook]'
	touch $@

# torch==2.13.0 first: it is a CPU wheel on disk here; a bare `torch` would pull CUDA packages.
$(VENV)/.test-installed: pyproject.toml | system-fonts $(BIN)/python
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[test]'
	touch $@

# Debian's Graphviz gives the `dot` renderer; without it diagrams still export as DOT source.
system-graphviz:
	@command -v dot >/dev/null 2>&1 || { \
	  echo "Installing Graphviz (dot) with apt-get ..."; \
	  ($(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq graphviz >/dev/null) || \
	  echo "warning: could not install Graphviz; see README 'Installing Graphviz'"; }

system-chromium:
	@[ -x /usr/bin/chromium ] || { \
	  echo "Installing Chromium for the browser tests with apt-get ..."; \
	  ($(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium >/dev/null) || \
	  echo "warning: could not install Chromium; the browser tests will fail"; }

# Debian's Noto CJK fonts: Chinese in diagrams, GIF captions and figures (--lang zh), and the
# tests that check them. Installed before the venv and before anything is drawn; gategrad also
# finds a font that arrived after matplotlib built its font cache (words/fonts.py), and says
# once, naming this package, when there is none.
system-fonts:
	@fc-list 2>/dev/null | grep -q "Noto Sans CJK" || { \
	  echo "Installing the Noto CJK fonts (fonts-noto-cjk) with apt-get ..."; \
	  ($(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq fonts-noto-cjk >/dev/null) || \
	  echo "warning: could not install fonts-noto-cjk; Chinese text will show as empty boxes"; }

demo: system-graphviz system-fonts $(VENV)/.demo-installed
	$(BIN)/python -m demos.tour

test: system-graphviz system-chromium system-fonts $(VENV)/.test-installed
	$(BIN)/python -m pytest

# The tour as a notebook, in JupyterLab (installed into .venv the first time). As root (a
# container), Jupyter refuses to start without --allow-root.
notebook: system-graphviz system-fonts $(VENV)/.notebook-installed
	$(BIN)/jupyter lab $(if $(SUDO),,--allow-root) demos/tour.ipynb

lint: $(VENV)/.test-installed
	$(BIN)/ruff check .

# Realistic bugs planted one at a time in grading/, words/ and viz/page/, each run against the
# tests of its layer; lists the survivors (tests/mutants.py). 15 to 30 minutes: not in `make test`.
mutants: system-graphviz system-chromium system-fonts $(VENV)/.test-installed
	$(BIN)/python tests/mutants.py

bench: $(VENV)/.test-installed
	$(BIN)/python -m benchmarks.run

# The README's pictures (docs/*.png); the stepper screenshot needs Chromium.
docs: system-graphviz system-chromium $(VENV)/.test-installed
	$(BIN)/python docs/make_images.py

# The gettext catalogues: each words/locale/*/LC_MESSAGES/*.po compiled to its .mo (both
# committed, so running gategrad needs no Babel; tests/test_catalogues.py checks they agree).
catalogues: $(VENV)/.test-installed
	@for po in words/locale/*/LC_MESSAGES/*.po; do \
	  locale=$$(basename $$(dirname $$(dirname $$po))); \
	  $(BIN)/pybabel compile -i $$po -o $${po%.po}.mo -l $$locale || exit 1; done

clean:
	rm -rf $(VENV) out .pytest_cache .hypothesis
