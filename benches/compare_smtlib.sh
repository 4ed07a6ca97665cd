#!/usr/bin/env bash
# Run stabcert, z3 and cvc5 on the public SMT-LIB files of benches/smtlib/ (listed with their
# origin and expected answer in benches/smtlib/SOURCES). Run from anywhere:
#
#   benches/compare_smtlib.sh [--timeout S] [--reasons] [--no-peers] [--recheck]
#
# Creates target/bench-venv if missing, installs cvc5 and z3-solver into it, builds stabcert
# in release mode, then runs benches/compare_smtlib.py (options passed through).
# Environment: PYTHON, CVC5_SPEC (default cvc5==1.4.2), MPMATH_SPEC (default mpmath==1.3.0,
# for the model re-checks with arctan), Z3_SOLVER_SPEC (default
# z3-solver==5.4.1.0). Exit status: that of compare_smtlib.py.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=benches/venv.sh
source "$here/venv.sh"
bench_venv "${Z3_SOLVER_SPEC:-z3-solver==5.4.1.0}"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "${CVC5_SPEC:-cvc5==1.4.2}" "${MPMATH_SPEC:-mpmath==1.3.0}"

exec "$venv/bin/python" "$here/compare_smtlib.py" --python "$venv/bin/python" "$@"
