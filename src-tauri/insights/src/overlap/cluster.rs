//! Persons from matched pairs: the connected components of the "same person" graph
//! (union–find with path halving and union by size).
//!
//! Person numbers are given in input order (the person of the first record is 1), so the
//! numbering is stable for a given input while the grouping itself does not depend on the order.

/// Disjoint sets over record indices.
#[derive(Debug)]
pub struct UnionFind {
    parent: Vec<u32>,
    size: Vec<u32>,
}

impl UnionFind {
    pub fn new(n: usize) -> Self {
        UnionFind {
            parent: (0..n as u32).collect(),
            size: vec![1; n],
        }
    }

    pub fn find(&mut self, mut x: u32) -> u32 {
        while self.parent[x as usize] != x {
            let grand = self.parent[self.parent[x as usize] as usize];
            self.parent[x as usize] = grand;
            x = grand;
        }
        x
    }

    pub fn union(&mut self, a: u32, b: u32) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra == rb {
            return;
        }
        let (big, small) = if self.size[ra as usize] >= self.size[rb as usize] {
            (ra, rb)
        } else {
            (rb, ra)
        };
        self.parent[small as usize] = big;
        self.size[big as usize] += self.size[small as usize];
    }

    /// Person number (1-based, by first appearance in input order) of every element.
    pub fn numbering(&mut self) -> Vec<u32> {
        let n = self.parent.len();
        let mut number_of_root = vec![0u32; n];
        let mut next = 0u32;
        let mut out = Vec::with_capacity(n);
        for i in 0..n as u32 {
            let r = self.find(i) as usize;
            if number_of_root[r] == 0 {
                next += 1;
                number_of_root[r] = next;
            }
            out.push(number_of_root[r]);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_are_numbered_by_first_appearance() {
        let mut uf = UnionFind::new(5);
        uf.union(4, 1);
        uf.union(3, 2);
        uf.union(2, 4);
        assert_eq!(uf.numbering(), vec![1, 2, 2, 2, 2]);
    }
}
