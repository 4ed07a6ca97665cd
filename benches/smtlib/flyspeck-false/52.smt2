; False variant of flyspeck/52.smt2 (benches/smtlib/false_variants.py): the
; negated inequality's right side moved by 0.163220, so that it fails by 1/100
; at the best of 20000 random points and the vertices of the box:
; y1 = 2, y2 = 2.52, y3 = 2, y4 = 3.01, y5 = 2.52, y6 = 2.
(set-logic QF_NLR)
(set-info :status sat)
(declare-fun y1 () Real)
(declare-fun y2 () Real)
(declare-fun y3 () Real)
(declare-fun y4 () Real)
(declare-fun y5 () Real)
(declare-fun y6 () Real)
(assert (and (and (<= 2.0 y1) (<= y1 2.52)) (and (<= 2.0 y2) (<= y2 2.52)) (and (<= 2.0 y3) (<= y3 2.0)) (and (<= 3.01 y4) (<= y4 3.01)) (and (<= 2.0 y5) (<= y5 2.52)) (and (<= 2.0 y6) (<= y6 2.0)) (not (< (+ (- (* (- (* y2 y2)) (* y3 y3)) (* (* y1 y1) (* y4 y4))) (+ (* (* y2 y2) (* y5 y5)) (+ (- (* (* y3 y3) (* y6 y6)) (* (* y5 y5) (* y6 y6))) (* (* y1 y1) (+ (- (* y1 y1)) (+ (* y2 y2) (+ (- (* y3 y3) (* y4 y4)) (+ (* y5 y5) (* y6 y6))))))))) (- 0.0 0.163220)))))
(check-sat)
(exit)
