; exp(x) >= 1 + x on [-1, 1]: the negation is unsat
(set-logic QF_NRAT)
(set-info :status unsat)
(declare-fun x () Real)
(assert (<= (- 1) x 1))
(assert (< (exp x) (+ 1 x)))
(check-sat)
