# sales_process_mgmt — the two commands of README.rst, plus a few helpers.
#   make run   prepare everything, create the demo database once, serve Odoo on :8069
#   make test  prepare everything, fresh test database, all tests and linters
#   make screenshots  the Apps page's screenshots, taken from a fresh Chinese demo
SHELL := /bin/bash

.PHONY: run test prepare lint pot screenshots clean

run:
	@tools/run.sh

test:
	@tools/test.sh

prepare:
	@tools/prepare.sh

lint: prepare
	@tools/lint.sh

pot: prepare
	@tools/pot.sh

screenshots:
	@tools/screenshots.sh

clean:
	rm -rf .venv build *.egg-info
