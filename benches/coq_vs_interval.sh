#!/usr/bin/env bash
# Coq checking stabcert's exported proofs against plain `interval` on the same conclusions,
# in one run, as ratios.
#
#   benches/coq_vs_interval.sh [PROOF_FILE]      (default proofs/loss_stabilization.stab)
#
# 1. `stabcert export --coq` writes the proofs of every proved claim (system lemmas included)
#    and refuted claim; `make -j2` checks them all: CPU seconds (user + sys, all coqc
#    processes) and wall seconds.
# 2. Every conclusion of every proved claim, as its own goal (the claim's bounds and
#    hypotheses as premises), is attempted by a bare `interval` in one coqc run (attempt
#    only, `Abort`); the ones it proves are then checked for real (`Qed`, kernel included) in
#    a second coqc run. Both runs' CPU seconds are reported.
# 3. The ratios: the export's CPU against plain interval's, and what each proves.
# Needs coqc, coq_makefile and Coq.Interval (apt-get install coq libcoq-interval).
set -euo pipefail
cd "$(dirname "$0")/.."
file=${1:-proofs/loss_stabilization.stab}
bin=target/release/stabcert
[ -x "$bin" ] || cargo build --release -q
work=$(mktemp -d)
[ -n "${KEEP:-}" ] && echo "work: $work" || trap 'rm -rf "$work"' EXIT
cpu() { awk '{print $1 + $2}' "$1"; }
wall() { awk '{print $3}' "$1"; }

"$bin" export --coq "$work/export" "$file" > "$work/export.log" || true
nproved=$(grep -c '(proved)' "$work/export.log" || true)
nrefuted=$(grep -c '(refuted)' "$work/export.log" || true)
(cd "$work/export" && coq_makefile -f _CoqProject -o Makefile > /dev/null)
if (cd "$work/export" && /usr/bin/time -f '%U %S %e' -o "$work/make.time" make -j2 > "$work/make.log" 2>&1); then
  export_ok=yes
else
  export_ok=no
fi

# the statement of every proved claim's theorem, one goal per conclusion
mkdir -p "$work/plain"
awk -v out="$work/plain/goals" '
  /^Theorem / { name = $2; getline; if ($0 ~ /^  ~ \(/) next;
                head = $0; sub(/^ */, "", head); prem = ""; n = 0;
                while ((getline line) > 0 && line !~ /^Proof\./) {
                  sub(/^ */, "", line);
                  if (line ~ /->$/) prem = prem " " line; else { sub(/ \/\\$/, "", line); sub(/\.$/, "", line); c[++n] = line }
                }
                for (i = 1; i <= n; i++) print name "\t" head prem " " c[i] > out;
              }' $(ls "$work"/export/*.v | grep -v '/Stabcert[A-Za-z]*\.v$')
ngoals=$(wc -l < "$work/plain/goals")
pre='From Coq Require Import Reals.
Require Import Interval.Tactic.
Local Open Scope R_scope.'
tac='intros; repeat match goal with H : _ /\ _ |- _ => destruct H end'
{
  echo "$pre"
  k=0
  while IFS=$'\t' read -r name goal; do
    k=$((k + 1))
    printf 'Goal %s.\nProof. %s. tryif solve [interval] then idtac "PLAIN-OK %s" else idtac "PLAIN-NO %s". Abort.\n' \
      "$goal" "$tac" "$k" "$k"
  done < "$work/plain/goals"
} > "$work/plain/attempt.v"
(cd "$work/plain" && /usr/bin/time -f '%U %S %e' -o attempt.time coqc attempt.v > attempt.log 2>&1) || true
nok=$(grep -c '^PLAIN-OK' "$work/plain/attempt.log" || true)
{
  echo "$pre"
  k=0
  while IFS=$'\t' read -r name goal; do
    k=$((k + 1))
    grep -qx "PLAIN-OK $k" "$work/plain/attempt.log" || continue
    printf 'Lemma p%s : %s.\nProof. %s; interval. Qed.\n' "$k" "$goal" "$tac"
  done < "$work/plain/goals"
} > "$work/plain/checked.v"
if (cd "$work/plain" && /usr/bin/time -f '%U %S %e' -o checked.time coqc checked.v > checked.log 2>&1); then
  plain_ok=yes
else
  plain_ok=no
fi
base="$work/plain/base.v"
echo "$pre" > "$base"
(cd "$work/plain" && /usr/bin/time -f '%U %S %e' -o base.time coqc base.v > /dev/null 2>&1)

e_cpu=$(cpu "$work/make.time"); e_wall=$(wall "$work/make.time")
a_cpu=$(cpu "$work/plain/attempt.time"); c_cpu=$(cpu "$work/plain/checked.time")
b_cpu=$(cpu "$work/plain/base.time")
echo "file: $file ($nproved proved claims with $ngoals conclusions, $nrefuted refuted claims)"
echo "export checked by coqc (make -j2): ok=$export_ok, ${e_cpu} s CPU, ${e_wall} s wall; proves $ngoals of $ngoals conclusions and $nrefuted refutations"
echo "plain interval, attempts on all $ngoals conclusions (one coqc, no Qed): ${a_cpu} s CPU; proves $nok of $ngoals"
echo "plain interval, the $nok it proves checked with Qed (one coqc): ok=$plain_ok, ${c_cpu} s CPU (imports alone: ${b_cpu} s)"
awk -v e="$e_cpu" -v a="$a_cpu" -v c="$c_cpu" -v n="$nok" -v g="$ngoals" 'BEGIN {
  printf "ratios: export CPU / plain attempts CPU = %.2f; export CPU / plain checked CPU = %.2f; conclusions proved: export %d/%d, plain interval %d/%d\n", e / a, e / c, g, g, n, g }'
