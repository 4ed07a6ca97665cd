(* Stabcert's Coq library: the lemmas the exported proofs use. Written by `stabcert export --coq`. *)
From Coq Require Import Reals QArith Qreals List Lra Bool Lia Ring_polynom Ring_theory BinList.
Import ListNotations.
Local Open Scope R_scope.

(* ---- Bernstein expansions over a box.  A box axis is (a, b, lower end open, upper end open);
   a term is a rational coefficient c and per axis a pair (k, l): c * prod (y - a)^k (b - y)^l.
   Every such basis product is >= 0 on the box, so nonnegative coefficients give a
   nonnegative sum; a positive coefficient whose basis product does not vanish at a point
   makes the sum positive there. *)

Definition axis := (Q * Q * bool * bool)%type.

Definition lower (o : bool) (a y : R) := if o then a < y else a <= y.
Definition upper (o : bool) (y b : R) := if o then y < b else y <= b.

(* Variable p of the environment l (1-based, as in Coq's ring normaliser). *)
Definition var (l : list R) (p : positive) : R := BinList.nth 0 p l.

Fixpoint inbox (l : list R) (p : positive) (bx : list axis) : Prop :=
  match bx with
  | (a, b, oa, ob) :: bx' => lower oa (Q2R a) (var l p) /\ upper ob (var l p) (Q2R b) /\ inbox l (Pos.succ p) bx'
  | nil => True
  end.

Fixpoint bprod (l : list R) (p : positive) (bx : list axis) (ks : list (nat * nat)) : R :=
  match bx, ks with
  | (a, b, _, _) :: bx', (k, m) :: ks' =>
      (var l p - Q2R a) ^ k * (Q2R b - var l p) ^ m * bprod l (Pos.succ p) bx' ks'
  | _, _ => 1
  end.

Definition term := (Q * list (nat * nat))%type.

Fixpoint bsum (l : list R) (bx : list axis) (ts : list term) : R :=
  match ts with
  | nil => 0
  | (c, ks) :: ts' => Q2R c * bprod l 1 bx ks + bsum l bx ts'
  end.

Lemma lower_le : forall o a y, lower o a y -> a <= y.
Proof. intros [|] a y H; simpl in H; lra. Qed.
Lemma upper_le : forall o y b, upper o y b -> y <= b.
Proof. intros [|] y b H; simpl in H; lra. Qed.

Lemma bprod_nonneg : forall l bx p ks, inbox l p bx -> 0 <= bprod l p bx ks.
Proof.
  intros l. induction bx as [|[[[a b] oa] ob] bx IH]; intros p [|[k m] ks] H; simpl in *; try lra.
  destruct H as (H1 & H2 & H3).
  apply lower_le in H1; apply upper_le in H2.
  apply Rmult_le_pos; [apply Rmult_le_pos; apply pow_le; lra | apply IH; exact H3].
Qed.

Definition nonnegb (ts : list term) : bool := forallb (fun t => Qle_bool 0 (fst t)) ts.

Lemma Q2R_nonneg : forall c, Qle_bool 0 c = true -> 0 <= Q2R c.
Proof.
  intros c H. apply Qle_bool_iff in H. apply Qle_Rle in H.
  unfold Q2R at 1 in H. simpl in H. lra.
Qed.

Lemma bsum_nonneg : forall l bx ts, inbox l 1 bx -> nonnegb ts = true -> 0 <= bsum l bx ts.
Proof.
  intros l bx ts Hb. induction ts as [|[c ks] ts IH]; simpl; intros H; [lra|].
  apply andb_true_iff in H as [Hc Ht].
  apply Rplus_le_le_0_compat; [apply Rmult_le_pos; [apply Q2R_nonneg; exact Hc | apply bprod_nonneg; exact Hb]|].
  apply IH; exact Ht.
Qed.

(* Kinds of a point on an axis: 0 at the lower end, 1 inside, 2 at the upper end. *)
Fixpoint fitsb (kv : list nat) (ks : list (nat * nat)) : bool :=
  match kv, ks with
  | 0%nat :: kv', (k, _) :: ks' => Nat.eqb k 0 && fitsb kv' ks'
  | 2%nat :: kv', (_, m) :: ks' => Nat.eqb m 0 && fitsb kv' ks'
  | _ :: kv', _ :: ks' => fitsb kv' ks'
  | _, _ => true
  end.

Definition posb (kv : list nat) (ts : list term) : bool :=
  existsb (fun t => negb (Qle_bool (fst t) 0) && fitsb kv (snd t)) ts.

Definition kinds (x : axis) : list nat :=
  match x with (_, _, oa, ob) => (if oa then [] else [0%nat]) ++ [1%nat] ++ (if ob then [] else [2%nat]) end.

Fixpoint allkinds (bx : list axis) : list (list nat) :=
  match bx with
  | nil => [nil]
  | x :: bx' => flat_map (fun k => map (cons k) (allkinds bx')) (kinds x)
  end.

Definition properb (bx : list axis) : bool :=
  forallb (fun x => match x with (a, b, _, _) => negb (Qle_bool b a) end) bx.

Definition strictb (bx : list axis) (ts : list term) : bool :=
  properb bx && forallb (fun kv => posb kv ts) (allkinds bx).

Fixpoint haskind (l : list R) (p : positive) (bx : list axis) (kv : list nat) : Prop :=
  match bx, kv with
  | (a, b, _, _) :: bx', k :: kv' =>
      match k with
      | 0%nat => var l p = Q2R a /\ var l p < Q2R b
      | 1%nat => Q2R a < var l p < Q2R b
      | 2%nat => Q2R a < var l p /\ var l p = Q2R b
      | _ => False
      end /\ haskind l (Pos.succ p) bx' kv'
  | _, _ => True
  end.

Fixpoint proper (bx : list axis) : Prop :=
  match bx with
  | nil => True
  | (a, b, _, _) :: bx' => Q2R a < Q2R b /\ proper bx'
  end.

Lemma properb_proper : forall bx, properb bx = true -> proper bx.
Proof.
  induction bx as [|[[[a b] oa] ob] bx IH]; simpl; intros H; auto.
  apply andb_true_iff in H as [H1 H2]. split; [|apply IH; exact H2].
  apply Qlt_Rlt. apply Qnot_le_lt. intros E. apply Qle_bool_iff in E. rewrite E in H1. discriminate.
Qed.

Lemma kind_exists : forall l bx p, inbox l p bx -> proper bx ->
  exists kv, In kv (allkinds bx) /\ haskind l p bx kv /\ length kv = length bx.
Proof.
  intros l. induction bx as [|[[[a b] oa] ob] bx IH]; intros p H Hp; simpl in H.
  - exists nil. simpl. auto.
  - destruct H as (H1 & H2 & H3). destruct Hp as [Hab Hp].
    destruct (IH (Pos.succ p) H3 Hp) as [kv [Hin [Hk Hl]]].
    unfold var in *. simpl. unfold var. set (y := BinList.nth 0 p l) in *.
    assert (Hy : (oa = false /\ y = Q2R a) \/ (Q2R a < y < Q2R b) \/ (ob = false /\ y = Q2R b)).
    { destruct oa, ob; simpl in H1, H2; lra. }
    destruct Hy as [[Ho Hy]|[Hy|[Ho Hy]]].
    + exists (0%nat :: kv). split; [|simpl; repeat split; auto; lra].
      simpl. apply in_flat_map. exists 0%nat. subst oa. split; [simpl; auto| apply in_map; exact Hin].
    + exists (1%nat :: kv). split; [|simpl; repeat split; auto; lra].
      simpl. apply in_flat_map. exists 1%nat. split; [destruct oa, ob; simpl; auto| apply in_map; exact Hin].
    + exists (2%nat :: kv). split; [|simpl; repeat split; auto; lra].
      simpl. apply in_flat_map. exists 2%nat. subst ob. split; [destruct oa; simpl; auto| apply in_map; exact Hin].
Qed.

Lemma pow_pos_or : forall x k, (k = 0%nat \/ 0 < x) -> 0 < x ^ k.
Proof. intros x k [->|H]; simpl; [lra| apply pow_lt; exact H]. Qed.

Lemma bprod_pos : forall l bx p kv ks, inbox l p bx -> haskind l p bx kv ->
  length kv = length bx -> fitsb kv ks = true -> length ks = length bx -> 0 < bprod l p bx ks.
Proof.
  intros l. induction bx as [|[[[a b] oa] ob] bx IH]; intros p kv ks Hb Hk Hl Hf Hks; simpl in *; try lra.
  destruct kv as [|k kv]; [discriminate|]. destruct ks as [|[k' l'] ks]; [discriminate|].
  destruct Hb as (H1 & H2 & H3).
  destruct Hk as [Hk Hk']. simpl in Hl, Hks. injection Hl as Hl. injection Hks as Hks.
  assert (Hf' : fitsb kv ks = true /\ (k = 0%nat -> k' = 0%nat) /\ (k = 2%nat -> l' = 0%nat)).
  { destruct k as [|[|[|k]]]; simpl in Hf; try (apply andb_true_iff in Hf as [E Hf]; apply Nat.eqb_eq in E);
    repeat split; auto; intros; try lia. }
  destruct Hf' as (Hf' & E0 & E2).
  apply Rmult_lt_0_compat; [|apply (IH (Pos.succ p) kv ks H3 Hk' Hl Hf' Hks)].
  apply Rmult_lt_0_compat; apply pow_pos_or.
  - destruct k as [|[|[|k]]]; [left; auto| right; lra| right; lra| contradiction].
  - destruct k as [|[|[|k]]]; [right; lra| right; lra| left; auto| contradiction].
Qed.

Definition wfb (n : nat) (ts : list term) : bool :=
  forallb (fun t => Nat.eqb (length (snd t)) n) ts.

Lemma bsum_ge_term : forall l bx ts t, inbox l 1 bx -> nonnegb ts = true -> In t ts ->
  Q2R (fst t) * bprod l 1 bx (snd t) <= bsum l bx ts.
Proof.
  intros l bx ts t Hb. induction ts as [|[c ks] ts IH]; simpl; intros Hn Hin; [contradiction|].
  apply andb_true_iff in Hn as [Hc Hn].
  destruct Hin as [<-|Hin]; simpl.
  - pose proof (bsum_nonneg l bx ts Hb Hn). lra.
  - pose proof (IH Hn Hin). pose proof (Q2R_nonneg c Hc). pose proof (bprod_nonneg l bx 1 ks Hb).
    pose proof (Rmult_le_pos _ _ H0 H1). lra.
Qed.

Lemma Q2R_pos : forall c, negb (Qle_bool c 0) = true -> 0 < Q2R c.
Proof.
  intros c H. replace 0 with (Q2R 0) by (unfold Q2R; simpl; lra).
  apply Qlt_Rlt. apply Qnot_le_lt. intros E. apply Qle_bool_iff in E. rewrite E in H. discriminate.
Qed.

Lemma bsum_pos : forall l bx ts, inbox l 1 bx -> nonnegb ts = true ->
  wfb (length bx) ts = true -> strictb bx ts = true -> 0 < bsum l bx ts.
Proof.
  intros l bx ts Hb Hn Hw Hs. apply andb_true_iff in Hs as [Hp Hs].
  destruct (kind_exists l bx 1 Hb (properb_proper bx Hp)) as [kv [Hin [Hk Hl]]].
  rewrite forallb_forall in Hs. specialize (Hs kv Hin). unfold posb in Hs.
  apply existsb_exists in Hs as [[c ks] [Ht Hc]]. simpl in Hc.
  apply andb_true_iff in Hc as [Hc Hf].
  unfold wfb in Hw. rewrite forallb_forall in Hw. specialize (Hw (c, ks) Ht). simpl in Hw.
  apply Nat.eqb_eq in Hw.
  pose proof (bsum_ge_term l bx ts (c, ks) Hb Hn Ht). simpl in H.
  pose proof (Q2R_pos c Hc). pose proof (bprod_pos l bx 1 kv ks Hb Hk Hl Hf Hw).
  pose proof (Rmult_lt_0_compat _ _ H0 H1). lra.
Qed.

(* ---- Reflection: polynomial expressions over R with rational constants, normalised in Q by
   Coq's ring normaliser (Ring_polynom, proved correct), computed with vm_compute. *)

Inductive pe : Type :=
| PCz (n : Z) | PCq (n : Z) (d : positive) | PQ (q : Q) | PV (p : positive)
| PAdd (a b : pe) | PSub (a b : pe) | PMul (a b : pe) | PNeg (a : pe) | PPow (a : pe) (k : nat)
| PDivz (a : pe) (n : Z) | PDivq (a : pe) (n : Z) (d : positive).

Fixpoint evalR (l : list R) (e : pe) : R :=
  match e with
  | PCz n => IZR n
  | PCq n d => IZR n / IZR (Zpos d)
  | PQ q => Q2R q
  | PV p => var l p
  | PAdd a b => evalR l a + evalR l b
  | PSub a b => evalR l a - evalR l b
  | PMul a b => evalR l a * evalR l b
  | PNeg a => - evalR l a
  | PPow a k => evalR l a ^ k
  | PDivz a n => evalR l a / IZR n
  | PDivq a n d => evalR l a / (IZR n / IZR (Zpos d))
  end.

Fixpoint toPE (e : pe) : PExpr Q :=
  match e with
  | PCz n => PEc (n # 1)
  | PCq n d => PEc (n # d)
  | PQ q => PEc q
  | PV p => PEX Q p
  | PAdd a b => PEadd (toPE a) (toPE b)
  | PSub a b => PEsub (toPE a) (toPE b)
  | PMul a b => PEmul (toPE a) (toPE b)
  | PNeg a => PEopp (toPE a)
  | PPow a k => PEpow (toPE a) (N.of_nat k)
  | PDivz a n => PEmul (toPE a) (PEc (Qinv (n # 1)))
  | PDivq a n d => PEmul (toPE a) (PEc (Qinv (n # d)))
  end.

Fixpoint wf (e : pe) : bool :=
  match e with
  | PCz _ | PCq _ _ | PQ _ | PV _ => true
  | PAdd a b | PSub a b | PMul a b => wf a && wf b
  | PNeg a | PPow a _ => wf a
  | PDivz a n | PDivq a n _ => wf a && negb (Z.eqb n 0)
  end.

Definition Rsth := Eqsth R.
Definition Reqe := Eq_ext Rplus Rmult Ropp.
Definition RARth := Rth_ARth Rsth Reqe RTheory.

(* Rational operations that keep fractions reduced (the normaliser's numbers stay small). *)
Definition qadd (x y : Q) : Q := Qred (x + y).
Definition qmul (x y : Q) : Q := Qred (x * y).
Definition qsub (x y : Q) : Q := Qred (x - y).
Definition qopp (x : Q) : Q := Qred (- x).

Lemma Q2R_red : forall x, Q2R (Qred x) = Q2R x.
Proof. intros x. apply Qeq_eqR. apply Qred_correct. Qed.

Lemma Q2R_morph : ring_morph 0 1 Rplus Rmult Rminus Ropp (@eq R)
  0%Q 1%Q qadd qmul qsub qopp Qeq_bool Q2R.
Proof.
  constructor.
  - unfold Q2R; simpl; field.
  - unfold Q2R; simpl; field.
  - intros; unfold qadd; rewrite Q2R_red; apply Q2R_plus.
  - intros; unfold qsub; rewrite Q2R_red; apply Q2R_minus.
  - intros; unfold qmul; rewrite Q2R_red; apply Q2R_mult.
  - intros; unfold qopp; rewrite Q2R_red; apply Q2R_opp.
  - intros x y H; apply Qeq_bool_eq in H; apply Qeq_eqR; exact H.
Qed.

Definition Rpow_th := pow_N_th 1 Rmult Rsth.
Definition Qdiv_th := triv_div_th Rsth Reqe RARth Q2R_morph.

Definition PEvalR (l : list R) (e : PExpr Q) : R :=
  PEeval 0 1 Rplus Rmult Rminus Ropp Q2R id_phi_N (pow_N 1 Rmult) l e.

Definition Qnorm (e : PExpr Q) :=
  norm_subst 0%Q 1%Q qadd qmul qsub qopp Qeq_bool (triv_div 0%Q 1%Q Qeq_bool) 0 nil e.

Definition same (e1 e2 : pe) : bool :=
  wf e1 && wf e2 && Peq Qeq_bool (Qnorm (toPE e1)) (Qnorm (toPE e2)).

Lemma pow_pos_succ_R : forall x j, pow_pos Rmult x (Pos.succ j) = x * pow_pos Rmult x j.
Proof.
  intros x j. induction j as [j IH|j IH|]; simpl; try rewrite IH; try ring.
Qed.

Lemma pow_N_nat : forall x k, pow_N 1 Rmult x (N.of_nat k) = x ^ k.
Proof.
  intros x [|k]; [reflexivity|].
  unfold N.of_nat, pow_N. induction k as [|k IH]; [simpl; ring|].
  change (Pos.of_succ_nat (S k)) with (Pos.succ (Pos.of_succ_nat k)).
  rewrite pow_pos_succ_R, IH. reflexivity.
Qed.

Lemma Q2R_z : forall n, Q2R (n # 1) = IZR n.
Proof. intros n. unfold Q2R; simpl. field. Qed.

Lemma toPE_ok : forall l e, wf e = true -> evalR l e = PEvalR l (toPE e).
Proof.
  intros l e. unfold PEvalR. induction e; cbn [evalR toPE wf PEeval]; intros W;
    try (apply andb_true_iff in W as [W1 W2]).
  - rewrite Q2R_z. reflexivity.
  - unfold Q2R; simpl. reflexivity.
  - reflexivity.
  - reflexivity.
  - rewrite IHe1, IHe2 by assumption. reflexivity.
  - rewrite IHe1, IHe2 by assumption. reflexivity.
  - rewrite IHe1, IHe2 by assumption. reflexivity.
  - rewrite IHe by assumption. reflexivity.
  - rewrite IHe by assumption. unfold id_phi_N. rewrite pow_N_nat. reflexivity.
  - rewrite IHe by assumption. rewrite Q2R_inv.
    + rewrite Q2R_z. reflexivity.
    + intros E. apply Qeq_eqR in E. rewrite Q2R_z in E. unfold Q2R in E; simpl in E.
      apply negb_true_iff in W2. apply Z.eqb_neq in W2. apply W2. apply eq_IZR. lra.
  - rewrite IHe by assumption. rewrite Q2R_inv.
    + unfold Q2R; simpl. reflexivity.
    + intros E. apply Qeq_eqR in E. unfold Q2R in E; simpl in E.
      apply negb_true_iff in W2. apply Z.eqb_neq in W2. apply W2.
      assert (0 < IZR (Z.pos d)) by (apply IZR_lt; reflexivity).
      apply eq_IZR. apply (Rmult_eq_reg_r (/ IZR (Z.pos d))); [lra|].
      apply Rgt_not_eq, Rinv_0_lt_compat; lra.
Qed.

Lemma same_ok : forall l e1 e2, same e1 e2 = true -> evalR l e1 = evalR l e2.
Proof.
  intros l e1 e2 H. unfold same in H.
  apply andb_true_iff in H as [H H3]. apply andb_true_iff in H as [H1 H2].
  rewrite (toPE_ok l e1 H1), (toPE_ok l e2 H2).
  exact (ring_correct Rsth Reqe RARth Q2R_morph Rpow_th Qdiv_th 0 l nil (toPE e1) (toPE e2) I H3).
Qed.

(* ---- Expansions as trees: the same sum factored axis by axis, so that the normaliser
   expands each basis factor once per node rather than once per term.  BCons k m t r is
   (y_p - a)^k (b - y_p)^m * t (on the next axes) + r (more terms on this axis). *)

Inductive btree : Type :=
| BLeaf (c : Q) | BNil | BCons (k m : nat) (t r : btree).
Arguments BCons k%nat_scope m%nat_scope t r.

Fixpoint flat (t : btree) : list term :=
  match t with
  | BLeaf c => [(c, [])]
  | BNil => []
  | BCons k m t' r => map (fun x => (fst x, (k, m) :: snd x)) (flat t') ++ flat r
  end.

Fixpoint tpe (p : positive) (bx : list axis) (t : btree) : pe :=
  match t with
  | BLeaf c => PQ c
  | BNil => PCz 0
  | BCons k m t' r =>
      match bx with
      | (a, b, _, _) :: bx' =>
          PAdd (PMul (PMul (PPow (PSub (PV p) (PQ a)) k) (PPow (PSub (PQ b) (PV p)) m))
                     (tpe (Pos.succ p) bx' t'))
               (tpe p bx r)
      | nil => PAdd (tpe p nil t') (tpe p nil r)
      end
  end.

Fixpoint bsump (l : list R) (p : positive) (bx : list axis) (ts : list term) : R :=
  match ts with
  | nil => 0
  | (c, ks) :: ts' => Q2R c * bprod l p bx ks + bsump l p bx ts'
  end.

Lemma bsum_bsump : forall l bx ts, bsum l bx ts = bsump l 1 bx ts.
Proof. intros l bx ts. induction ts as [|[c ks] ts IH]; simpl; [reflexivity| rewrite IH; reflexivity]. Qed.

Lemma bsump_app : forall l p bx ts us, bsump l p bx (ts ++ us) = bsump l p bx ts + bsump l p bx us.
Proof. intros l p bx ts us. induction ts as [|[c ks] ts IH]; simpl; [ring| rewrite IH; ring]. Qed.

Lemma bsump_cons : forall l p a b oa ob bx k m ts,
  bsump l p ((a, b, oa, ob) :: bx) (map (fun x => (fst x, (k, m) :: snd x)) ts) =
  (var l p - Q2R a) ^ k * (Q2R b - var l p) ^ m * bsump l (Pos.succ p) bx ts.
Proof. intros. induction ts as [|[c ks] ts IH]; simpl; [ring| rewrite IH; ring]. Qed.

Lemma bsump_nil_map : forall l p k m ts,
  bsump l p nil (map (fun x => (fst x, (k, m) :: snd x)) ts) = bsump l p nil ts.
Proof. intros. induction ts as [|[c ks] ts IH]; simpl; [reflexivity| rewrite IH; reflexivity]. Qed.

Lemma tpe_ok : forall l t p bx, evalR l (tpe p bx t) = bsump l p bx (flat t).
Proof.
  intros l t. induction t as [c| |k m t IHt r IHr]; intros p bx.
  - destruct bx as [|[[[a b] oa] ob] bx]; simpl; ring.
  - reflexivity.
  - destruct bx as [|[[[a b] oa] ob] bx]; cbn [tpe flat evalR]; rewrite bsump_app.
    + rewrite bsump_nil_map, IHt, IHr. reflexivity.
    + rewrite bsump_cons, IHt, IHr. reflexivity.
Qed.

(* The checkers the exported proofs call: e is the margin, t its Bernstein expansion on bx.
   The `same` test is computed (vm); the kernel recomputes it when it checks the proof. *)
Theorem bernstein_nonneg : forall l e bx t, inbox l 1 bx ->
  same e (tpe 1 bx t) = true -> nonnegb (flat t) = true -> 0 <= evalR l e.
Proof.
  intros l e bx t Hb Hs Hn. rewrite (same_ok l _ _ Hs), tpe_ok, <- bsum_bsump.
  apply bsum_nonneg; assumption.
Qed.

Theorem bernstein_pos : forall l e bx t, inbox l 1 bx ->
  same e (tpe 1 bx t) = true -> nonnegb (flat t) = true ->
  wfb (length bx) (flat t) = true -> strictb bx (flat t) = true -> 0 < evalR l e.
Proof.
  intros l e bx t Hb Hs Hn Hw Hst. rewrite (same_ok l _ _ Hs), tpe_ok, <- bsum_bsump.
  apply bsum_pos; assumption.
Qed.

(* ---- Box coordinates: x in a binding with ends lo, hi is lo + y (hi - lo), y in [0, 1]. *)
Lemma reparam : forall (oa ob : bool) lo hi x, lower oa lo x -> upper ob x hi ->
  exists y, lower oa 0 y /\ upper ob y 1 /\ x = lo + y * (hi - lo) /\
    (if orb oa ob then 0 < hi - lo else 0 <= hi - lo).
Proof.
  intros oa ob lo hi x Hl Hu.
  pose proof (lower_le _ _ _ Hl). pose proof (upper_le _ _ _ Hu).
  destruct (Req_dec hi lo) as [E|E].
  - subst hi. exists 0. destruct oa, ob; simpl in *; repeat split; try lra.
  - exists ((x - lo) / (hi - lo)).
    assert (P : 0 < hi - lo) by lra.
    repeat split.
    + destruct oa; simpl in *; [apply Rdiv_lt_0_compat|apply Rmult_le_pos; [|left; apply Rinv_0_lt_compat]]; lra.
    + destruct ob; simpl in *; [apply (Rmult_lt_reg_r (hi - lo))|apply (Rmult_le_reg_r (hi - lo))]; try lra;
      unfold Rdiv; rewrite Rmult_assoc, Rinv_l by lra; lra.
    + field. lra.
    + destruct (orb oa ob); lra.
Qed.

(* ---- A conclusion from its margin. *)
Lemma m_lt : forall a b, 0 < b - a -> a < b. Proof. intros; lra. Qed.
Lemma m_le : forall a b, 0 <= b - a -> a <= b. Proof. intros; lra. Qed.
Lemma m_gt : forall a b, 0 < a - b -> a > b. Proof. intros; lra. Qed.
Lemma m_ge : forall a b, 0 <= a - b -> a >= b. Proof. intros; lra. Qed.
