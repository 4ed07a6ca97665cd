#!/usr/bin/env bash
# Compare stabcert with z3's nonlinear real arithmetic (QF_NRA) on the core lemmas of
# proofs/loss_stabilization.stab. Run from anywhere:
#
#   benches/compare_z3.sh [--runs N] [--z3-timeout S] [--stabcert-arg=--jobs=1 ...]
#
# Creates target/bench-venv (python3 -m venv) if missing, installs z3-solver into it, builds
# stabcert in release mode, then runs benches/compare_z3.py (options are passed through).
# Environment: PYTHON (interpreter for the venv, default python3), Z3_SOLVER_SPEC (pip
# requirement, default the version the benchmark was written against).
# Exit status: that of compare_z3.py (0 agree, 1 disagreement, 2 harness error); a failing
# venv/pip/cargo step exits with its own status.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=benches/venv.sh
source "$here/venv.sh"
bench_venv "${Z3_SOLVER_SPEC:-z3-solver==5.4.1.0}"

exec "$venv/bin/python" "$here/compare_z3.py" --python "$venv/bin/python" "$@"
