#!/usr/bin/env bash
# Compare stabcert with cvc5 and z3 on the transcendental problems of benches/transcendental/
# (MetiTarski's problem set, each with a false variant). Run from anywhere:
#
#   benches/compare_transcendental.sh [--timeout S]
#
# Creates target/bench-venv if missing, installs cvc5 and z3-solver into it, builds stabcert
# in release mode, then runs benches/compare_transcendental.py (options passed through).
# Environment: PYTHON, CVC5_SPEC (default cvc5==1.4.2), Z3_SOLVER_SPEC (default
# z3-solver==5.4.1.0). Exit status: that of compare_transcendental.py.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=benches/venv.sh
source "$here/venv.sh"
bench_venv "${Z3_SOLVER_SPEC:-z3-solver==5.4.1.0}"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "${CVC5_SPEC:-cvc5==1.4.2}"

exec "$venv/bin/python" "$here/compare_transcendental.py" "$@"
