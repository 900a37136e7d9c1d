# Two commands set up a fresh machine:  `make demo` (the main job) and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
DB     ?= kaohe.db

.PHONY: setup system-deps demo test lint samples bench clean

$(BIN)/kaohe: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	@touch $@

setup: $(BIN)/kaohe

# LibreOffice converts .doc/.wps, renders the PDF samples and checks the exports (writer + calc);
# poppler for pdftotext checks; Debian's chromium drives the web UI's browser tests.
SYSTEM_PACKAGES := libreoffice-writer-nogui libreoffice-calc-nogui fonts-noto-cjk poppler-utils chromium
system-deps:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	else echo "not installed: $$missing — the tests that need them will skip. Install them as root to run those tests."; fi

# The main job: ingest samples/ into ./kaohe.db, ask who owns two indicators, score the example results.
demo: setup system-deps
	-$(BIN)/kaohe-ingest samples/ --db $(DB)
	$(BIN)/kaohe owner 营造林面积 --db $(DB)
	$(BIN)/kaohe owner 全社会固定资产投资 --db $(DB)
	$(BIN)/kaohe score --region 佳县 --year 2020 --results examples/佳县2020年度考核结果.xlsx --db $(DB)

test: setup system-deps
	$(BIN)/python -m pytest -q

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

samples: setup
	$(BIN)/python scripts/build_samples.py

bench: setup
	$(BIN)/python benchmarks/bench_parse.py
	$(BIN)/python benchmarks/bench_ingest.py
	$(BIN)/python benchmarks/bench_start.py
	$(BIN)/python benchmarks/bench_memory.py
	$(BIN)/python benchmarks/bench_diff.py
	$(BIN)/python benchmarks/bench_diff_cli.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
