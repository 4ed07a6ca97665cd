//! The region graph: strongly connected components and return times, on at most a few dozen
//! nodes, by plain reachability matrices.

use super::{Edge, EdgeStatus};

pub struct Graph {
    names: Vec<String>,
    /// `adj[i][j]`: the edge may exist (present, or undecided: counted to stay sound).
    adj: Vec<Vec<bool>>,
    /// `reach[i][j]`: a path of one or more edges leads from `i` to `j`.
    reach: Vec<Vec<bool>>,
}

impl Graph {
    pub fn new(names: &[String], edges: &[Edge]) -> Graph {
        let n = names.len();
        let mut adj = vec![vec![false; n]; n];
        let index = |s: &str| {
            names
                .iter()
                .position(|x| x == s)
                .expect("edge between known regions")
        };
        for e in edges.iter().filter(|e| e.status != EdgeStatus::Absent) {
            adj[index(&e.from)][index(&e.to)] = true;
        }
        let mut reach = adj.clone();
        // Warshall's transitive closure.
        for k in 0..n {
            let via = reach[k].clone();
            for row in reach.iter_mut().filter(|row| row[k]) {
                row.iter_mut().zip(&via).for_each(|(r, v)| *r |= *v);
            }
        }
        Graph {
            names: names.to_vec(),
            adj,
            reach,
        }
    }

    pub fn index(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|x| x == name)
    }

    /// The strongly connected component of `i`, in region order.
    fn component(&self, i: usize) -> Vec<usize> {
        (0..self.names.len())
            .filter(|&j| j == i || (self.reach[i][j] && self.reach[j][i]))
            .collect()
    }

    fn components(&self) -> Vec<Vec<usize>> {
        let mut seen = vec![false; self.names.len()];
        let mut out = Vec::new();
        for i in 0..self.names.len() {
            if !seen[i] {
                let c = self.component(i);
                c.iter().for_each(|j| seen[*j] = true);
                out.push(c);
            }
        }
        out
    }

    /// Components that contain a cycle (two or more regions, or a self-loop).
    pub fn cyclic_components(&self) -> Vec<Vec<usize>> {
        self.components()
            .into_iter()
            .filter(|c| c.len() > 1 || self.adj[c[0]][c[0]])
            .collect()
    }

    /// Whether no edge leaves the component.
    pub fn is_terminal(&self, c: &[usize]) -> bool {
        c.iter()
            .all(|&i| (0..self.names.len()).all(|j| !self.adj[i][j] || c.contains(&j)))
    }

    /// Components no edge leaves: where every trajectory that escapes the rest ends.
    pub fn terminal_components(&self) -> Vec<Vec<usize>> {
        self.components()
            .into_iter()
            .filter(|c| self.is_terminal(c))
            .collect()
    }

    /// Whether, inside component `c`, every walk from `r` returns to `r` after exactly
    /// `steps` steps and the component without `r` has no cycle: then a lemma about the
    /// `steps`-step map from `r` governs every cycle of `c`.
    pub fn returns_only_after(&self, c: &[usize], r: usize, steps: usize) -> bool {
        let mut frontier = vec![r];
        for step in 1..=steps {
            let mut next: Vec<usize> = Vec::new();
            for &i in &frontier {
                for &j in c {
                    if self.adj[i][j] && !next.contains(&j) {
                        next.push(j);
                    }
                }
            }
            let back = next.contains(&r);
            if (step < steps && back) || (step == steps && next.iter().any(|&j| j != r)) {
                return false;
            }
            frontier = next;
        }
        self.acyclic_without(c, r)
    }

    fn acyclic_without(&self, c: &[usize], r: usize) -> bool {
        let rest: Vec<usize> = c.iter().copied().filter(|&i| i != r).collect();
        // Repeatedly remove nodes with no edge into the rest; a cycle never empties.
        let mut alive = rest.clone();
        loop {
            let before = alive.len();
            let keep: Vec<usize> = alive
                .iter()
                .copied()
                .filter(|&i| alive.iter().any(|&j| self.adj[j][i]))
                .collect();
            alive = keep;
            if alive.is_empty() {
                return true;
            }
            if alive.len() == before {
                return false;
            }
        }
    }
}
