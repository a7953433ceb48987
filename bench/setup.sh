#!/usr/bin/env bash
# Installs what `attune-bench` compares attune with:
#  - ripgrep (`rg`), the floor: from the distribution (apt-get) when missing, else
#    `cargo install ripgrep` where apt-get is not available;
#  - the Python peer baseline: a virtual environment in target/bench-venv with
#    python-frontmatter and PyYAML from PyPI (versions pinned below).
# Idempotent: does nothing that is already done. Run from anywhere.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v rg >/dev/null; then
  if command -v apt-get >/dev/null; then
    echo "installing ripgrep with apt-get" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq ripgrep >/dev/null
  else
    echo "installing ripgrep with cargo install" >&2
    cargo install --locked ripgrep
  fi
fi
rg --version | head -n 1 >&2

venv=target/bench-venv
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import frontmatter, yaml' 2>/dev/null; then
  echo "creating $venv (python-frontmatter, PyYAML)" >&2
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install -q --disable-pip-version-check \
    'python-frontmatter==1.1.0' 'PyYAML==6.0.2'
fi
"$venv/bin/python" -c 'import sys, frontmatter, yaml; print("python", sys.version.split()[0], "python-frontmatter", frontmatter.__version__ if hasattr(frontmatter, "__version__") else "?", "PyYAML", yaml.__version__, "libyaml", yaml.__with_libyaml__)' >&2
