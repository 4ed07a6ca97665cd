(* Stabcert's Coq library, monotonicity part (needs Coquelicot). Written by `stabcert export --coq`. *)
From Coq Require Import Reals Lra.
From Coquelicot Require Import Coquelicot.
Local Open Scope R_scope.

(* ---- Monotonicity: the mean value theorem with a derivative of known sign. *)

Lemma mono_lo : forall (f df : R -> R) (a b y : R),
  (forall t, a <= t <= b -> is_derive f t (df t)) ->
  (forall t, a <= t <= b -> 0 <= df t) -> a <= y <= b -> f a <= f y.
Proof.
  intros f df a b y Hd Hs Hy.
  destruct (Req_dec a y) as [E|E]; [subst y; lra|].
  destruct (MVT_gen f a y df) as [c [Hc Heq]].
  - intros x Hx. rewrite Rmin_left in Hx by lra. rewrite Rmax_right in Hx by lra. apply Hd. lra.
  - intros x Hx. rewrite Rmin_left in Hx by lra. rewrite Rmax_right in Hx by lra.
    apply derivable_continuous_pt. exists (df x). apply is_derive_Reals. apply Hd. lra.
  - rewrite Rmin_left in Hc by lra. rewrite Rmax_right in Hc by lra.
    pose proof (Hs c ltac:(lra)). assert (0 <= df c * (y - a)) by (apply Rmult_le_pos; lra). lra.
Qed.

Lemma mono_lo_strict : forall (f df : R -> R) (a b y : R),
  (forall t, a <= t <= b -> is_derive f t (df t)) ->
  (forall t, a <= t <= b -> 0 < df t) -> a < y <= b -> f a < f y.
Proof.
  intros f df a b y Hd Hs Hy.
  destruct (MVT_gen f a y df) as [c [Hc Heq]].
  - intros x Hx. rewrite Rmin_left in Hx by lra. rewrite Rmax_right in Hx by lra. apply Hd. lra.
  - intros x Hx. rewrite Rmin_left in Hx by lra. rewrite Rmax_right in Hx by lra.
    apply derivable_continuous_pt. exists (df x). apply is_derive_Reals. apply Hd. lra.
  - rewrite Rmin_left in Hc by lra. rewrite Rmax_right in Hc by lra.
    pose proof (Hs c ltac:(lra)). assert (0 < df c * (y - a)) by (apply Rmult_lt_0_compat; lra). lra.
Qed.

Lemma mono_hi : forall (f df : R -> R) (a b y : R),
  (forall t, a <= t <= b -> is_derive f t (df t)) ->
  (forall t, a <= t <= b -> df t <= 0) -> a <= y <= b -> f b <= f y.
Proof.
  intros f df a b y Hd Hs Hy.
  destruct (Req_dec y b) as [E|E]; [subst y; lra|].
  destruct (MVT_gen f y b df) as [c [Hc Heq]].
  - intros x Hx. rewrite Rmin_left in Hx by lra. rewrite Rmax_right in Hx by lra. apply Hd. lra.
  - intros x Hx. rewrite Rmin_left in Hx by lra. rewrite Rmax_right in Hx by lra.
    apply derivable_continuous_pt. exists (df x). apply is_derive_Reals. apply Hd. lra.
  - rewrite Rmin_left in Hc by lra. rewrite Rmax_right in Hc by lra.
    pose proof (Hs c ltac:(lra)). assert (df c * (b - y) <= 0) by (apply Rmult_le_0_r; lra). lra.
Qed.

Lemma mono_hi_strict : forall (f df : R -> R) (a b y : R),
  (forall t, a <= t <= b -> is_derive f t (df t)) ->
  (forall t, a <= t <= b -> df t < 0) -> a <= y < b -> f b < f y.
Proof.
  intros f df a b y Hd Hs Hy.
  destruct (MVT_gen f y b df) as [c [Hc Heq]].
  - intros x Hx. rewrite Rmin_left in Hx by lra. rewrite Rmax_right in Hx by lra. apply Hd. lra.
  - intros x Hx. rewrite Rmin_left in Hx by lra. rewrite Rmax_right in Hx by lra.
    apply derivable_continuous_pt. exists (df x). apply is_derive_Reals. apply Hd. lra.
  - rewrite Rmin_left in Hc by lra. rewrite Rmax_right in Hc by lra.
    pose proof (Hs c ltac:(lra)). assert (0 < (- df c) * (b - y)) by (apply Rmult_lt_0_compat; lra).
    lra.
Qed.

