; False variant of flyspeck/55.smt2 (benches/smtlib/false_variants.py): the
; negated inequality's right side moved by 11.744635, so that it fails by 1/100
; at the best of 20000 random points and the vertices of the box:
; a2 = 6.3504, b2 = 2.51953, c2 = 5.6644, e1 = 1, e2 = 1.17548, e3 = 1.17548.
(set-logic QF_NLR)
(set-info :status sat)
(declare-fun e1 () Real)
(declare-fun e2 () Real)
(declare-fun e3 () Real)
(declare-fun a2 () Real)
(declare-fun b2 () Real)
(declare-fun c2 () Real)
(assert (and (and (<= 1.0 e1) (<= e1 1.17547965743)) (and (<= 1.0 e2) (<= e2 1.17547965743)) (and (<= 1.0 e3) (<= e3 1.17547965743)) (and (<= 2.51952632905 a2) (<= a2 6.3504)) (and (<= 2.51952632905 b2) (<= b2 9.0601)) (and (<= 5.6644 c2) (<= c2 16.0)) (not (> (* (- 4.0) (+ (* (^ a2 2.0) e1) (- (* 8.0 (* (- b2 c2) (- e2 e3))) (* a2 (+ (* 16.0 e1) (+ (* (- b2 8.0) e2) (* (- c2 8.0) e3))))))) (+ 0.0 11.744635)))))
(check-sat)
(exit)
