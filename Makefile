# The two commands of the README Quickstart.
.PHONY: demo test setup lint

demo:  ## set up .venv and run the demo case
	bash scripts/setup.sh
	.venv/bin/redthread demo

test:  ## set up, start test services, run the test suite
	bash scripts/test.sh

setup:
	bash scripts/setup.sh

lint:
	.venv/bin/ruff check redthread tests
	.venv/bin/mypy
