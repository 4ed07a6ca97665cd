#!/usr/bin/env bash
# Trajectory-steps per second of `stabcert simulate oscillation --bench` against a vectorised
# numpy version of the same loop (benches/compare_numpy.py), in the same run. From anywhere:
#
#   benches/compare_numpy.sh [--trajectories N] [--steps T] [--numpy-trajectories N] ...
#
# Creates target/bench-venv (python3 -m venv) if missing, installs numpy into it, builds
# stabcert in release mode, then runs benches/compare_numpy.py (options are passed through).
# Environment: PYTHON (interpreter for the venv, default python3), NUMPY_SPEC (pip
# requirement, default numpy). Exit status: that of compare_numpy.py (0 ran, 2 harness error).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=benches/venv.sh
source "$here/venv.sh"
bench_venv "${NUMPY_SPEC:-numpy}"

exec "$venv/bin/python" "$here/compare_numpy.py" "$@"
