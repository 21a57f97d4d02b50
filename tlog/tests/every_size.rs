//! Every tree of 1..=140 leaves, every leaf and every pair of sizes, against a naive reading of
//! RFC 9162 §2.1 written here from its definitions (MTH, PATH, PROOF/SUBPROOF); and tampered
//! proofs refused.

use std::cell::RefCell;
use std::collections::HashMap;

use tlog::{
    consistency_proof, inclusion_proof, leaf_hash, node_hash, root, verify_consistency,
    verify_inclusion, Frontier, Hash, MemoryTree, ProofError,
};

const MAX: u64 = 140;

fn leaves(n: u64) -> Vec<Hash> {
    (0..n).map(|i| leaf_hash(&i.to_be_bytes())).collect()
}

/// The naive definitions over the leaves `0..`, with MTH of a range remembered (the same
/// ranges recur across sizes).
struct Naive {
    leaves: Vec<Hash>,
    memo: RefCell<HashMap<(usize, usize), Hash>>,
}

impl Naive {
    fn new(n: u64) -> Self {
        Naive {
            leaves: leaves(n),
            memo: RefCell::default(),
        }
    }

    fn k(n: usize) -> usize {
        let mut k = 1;
        while k * 2 < n {
            k *= 2;
        }
        k
    }

    /// MTH(D[a:b]).
    fn mth(&self, a: usize, b: usize) -> Hash {
        if let Some(h) = self.memo.borrow().get(&(a, b)) {
            return *h;
        }
        let h = match b - a {
            0 => tlog::empty_root(),
            1 => self.leaves[a],
            n => {
                let k = Self::k(n);
                node_hash(&self.mth(a, a + k), &self.mth(a + k, b))
            }
        };
        self.memo.borrow_mut().insert((a, b), h);
        h
    }

    /// PATH(m, D[a:b]).
    fn path(&self, m: usize, a: usize, b: usize) -> Vec<Hash> {
        let n = b - a;
        if n == 1 {
            return Vec::new();
        }
        let k = Self::k(n);
        let (mut p, sibling) = if m < k {
            (self.path(m, a, a + k), self.mth(a + k, b))
        } else {
            (self.path(m - k, a + k, b), self.mth(a, a + k))
        };
        p.push(sibling);
        p
    }

    /// SUBPROOF(m, D[a:b], whole).
    fn subproof(&self, m: usize, a: usize, b: usize, whole: bool) -> Vec<Hash> {
        let n = b - a;
        if m == n {
            return if whole {
                Vec::new()
            } else {
                vec![self.mth(a, b)]
            };
        }
        let k = Self::k(n);
        let (mut p, other) = if m <= k {
            (self.subproof(m, a, a + k, whole), self.mth(a + k, b))
        } else {
            (self.subproof(m - k, a + k, b, false), self.mth(a, a + k))
        };
        p.push(other);
        p
    }

    fn proof(&self, m: usize, n: usize) -> Vec<Hash> {
        if m == 0 {
            return Vec::new();
        }
        self.subproof(m, 0, n, true)
    }
}

fn flipped(proof: &[Hash], i: usize, bit: usize) -> Vec<Hash> {
    let mut p = proof.to_vec();
    p[i][bit / 8] ^= 1 << (bit % 8);
    p
}

#[test]
fn roots_match_the_definition() {
    let naive = Naive::new(MAX);
    for n in 0..=MAX as usize {
        assert_eq!(root(&naive.leaves[..n]), naive.mth(0, n), "root of {n}");
    }
}

#[test]
fn every_inclusion_proof_verifies_and_tampering_is_refused() {
    let naive = Naive::new(MAX);
    let tree = MemoryTree::new(&naive.leaves);
    let mut checked = 0;
    for size in 1..=MAX {
        let root = naive.mth(0, size as usize);
        for index in 0..size {
            let leaf = naive.leaves[index as usize];
            let proof = inclusion_proof(index, size, &tree).expect("proof");
            assert_eq!(proof, naive.path(index as usize, 0, size as usize));
            assert_eq!(verify_inclusion(&leaf, index, size, &proof, &root), Ok(()));
            checked += 1;

            let refused = |leaf: &Hash, index: u64, size: u64, proof: &[Hash], root: &Hash| {
                let r = verify_inclusion(leaf, index, size, proof, root);
                assert!(
                    r.is_err(),
                    "tampered proof of {index} in {size} accepted: {proof:?}"
                );
            };
            for i in 0..proof.len() {
                refused(
                    &leaf,
                    index,
                    size,
                    &flipped(&proof, i, (i * 37 + 5) % 256),
                    &root,
                );
            }
            if let Some((_, shorter)) = proof.split_last() {
                refused(&leaf, index, size, shorter, &root);
                refused(&leaf, index, size, &proof[1..], &root);
            }
            let mut longer = proof.clone();
            longer.push(root);
            refused(&leaf, index, size, &longer, &root);
            if size > 1 {
                // in a tree of one leaf the leaf is the root
                refused(&root, index, size, &proof, &root);
                refused(&leaf, index, size, &proof, &leaf);
            }
            for other in [index.wrapping_sub(1), index + 1, index ^ 2, size] {
                if other != index {
                    refused(&leaf, other, size, &proof, &root);
                }
            }
            // the same proof put to a tree of another size, with that tree's real root: it is
            // accepted only where it is that tree's proof too
            for other in [size - 1, size + 1, size * 2, size / 2] {
                if other != size && index < other && other <= MAX {
                    let other_root = naive.mth(0, other as usize);
                    let genuine = naive.path(index as usize, 0, other as usize) == proof;
                    let r = verify_inclusion(&leaf, index, other, &proof, &other_root);
                    assert_eq!(
                        r.is_ok(),
                        genuine,
                        "proof of {index} in {size} put to {other}"
                    );
                }
            }
        }
    }
    assert_eq!(checked, MAX * (MAX + 1) / 2);
    assert_eq!(
        verify_inclusion(&naive.leaves[0], 3, 3, &[], &naive.mth(0, 3)),
        Err(ProofError::IndexOutOfRange { index: 3, size: 3 })
    );
}

#[test]
fn every_consistency_proof_verifies_and_tampering_is_refused() {
    let naive = Naive::new(MAX);
    let tree = MemoryTree::new(&naive.leaves);
    let mut checked = 0;
    for new in 1..=MAX {
        let new_root = naive.mth(0, new as usize);
        for old in 0..=new {
            let old_root = naive.mth(0, old as usize);
            let proof = consistency_proof(old, new, &tree).expect("proof");
            assert_eq!(proof, naive.proof(old as usize, new as usize));
            assert_eq!(
                verify_consistency(old, new, &old_root, &new_root, &proof),
                Ok(()),
                "{old} to {new}"
            );
            checked += 1;

            let refused = |old: u64, new: u64, old_root: &Hash, new_root: &Hash, p: &[Hash]| {
                let r = verify_consistency(old, new, old_root, new_root, p);
                assert!(
                    r.is_err(),
                    "tampered proof of {old} to {new} accepted: {p:?}"
                );
            };
            for i in 0..proof.len() {
                let p = flipped(&proof, i, (i * 53 + 11) % 256);
                refused(old, new, &old_root, &new_root, &p);
            }
            if let Some((_, shorter)) = proof.split_last() {
                refused(old, new, &old_root, &new_root, shorter);
                refused(old, new, &old_root, &new_root, &proof[1..]);
            }
            let mut longer = proof.clone();
            longer.push(new_root);
            refused(old, new, &old_root, &new_root, &longer);
            if old != new {
                refused(old, new, &new_root, &old_root, &proof);
                refused(new, old, &old_root, &new_root, &proof);
                let mut forged = old_root;
                forged[0] ^= 1;
                refused(old, new, &forged, &new_root, &proof);
                if old > 0 {
                    // every tree extends the empty one: nothing binds its root
                    forged = new_root;
                    forged[31] ^= 0x80;
                    refused(old, new, &old_root, &forged, &proof);
                }
            }
            // the same proof put to other sizes, with those trees' real roots: accepted only
            // where it is their proof too
            for (o, n) in [
                (old + 1, new),
                (old.wrapping_sub(1), new),
                (old, new + 1),
                (old, new - 1),
            ] {
                if (o, n) != (old, new) && o <= n && n <= MAX {
                    let genuine = naive.proof(o as usize, n as usize) == proof;
                    let (or, nr) = (naive.mth(0, o as usize), naive.mth(0, n as usize));
                    let r = verify_consistency(o, n, &or, &nr, &proof);
                    assert_eq!(
                        r.is_ok(),
                        genuine,
                        "proof of {old} to {new} put to {o} to {n}"
                    );
                }
            }
        }
    }
    assert_eq!(checked, MAX * (MAX + 3) / 2);
}

#[test]
fn the_frontier_keeps_the_root_at_every_size_and_through_its_bytes() {
    let naive = Naive::new(300);
    let mut frontier = Frontier::new();
    let mut stored = std::collections::BTreeMap::new();
    for size in 0..=300u64 {
        assert_eq!(frontier.size(), size);
        assert_eq!(
            frontier.root(),
            naive.mth(0, size as usize),
            "root of {size}"
        );
        let bytes = frontier.to_bytes();
        let back = Frontier::from_bytes(&bytes).expect("round trip");
        assert_eq!(back, frontier);
        assert_eq!(back.root(), frontier.root());
        assert!(Frontier::from_bytes(&bytes[..bytes.len() - 1]).is_err());
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(Frontier::from_bytes(&longer).is_err());
        if size < 300 {
            for (id, h) in frontier.push(naive.leaves[size as usize]) {
                assert!(stored.insert(id, h).is_none(), "{id:?} made twice");
            }
        }
    }
    // the nodes the appends made are every complete subtree: proofs read from them alone
    let tree = MemoryTree::new(&naive.leaves);
    for size in [1u64, 7, 64, 131, 300] {
        for index in [0, size / 3, size - 1] {
            assert_eq!(
                inclusion_proof(index, size, &stored),
                inclusion_proof(index, size, &tree)
            );
            assert_eq!(
                inclusion_proof(index, size, &stored).map(|p| p.len()),
                tlog::inclusion_proof_nodes(index, size)
                    .map(|_| naive.path(index as usize, 0, size as usize).len())
            );
        }
        assert_eq!(
            consistency_proof(size / 2, size, &stored),
            consistency_proof(size / 2, size, &tree)
        );
        assert_eq!(
            tlog::root_at(size, &stored),
            Ok(naive.mth(0, size as usize))
        );
    }
    let err = Frontier::from_bytes(&[0; 3]).expect_err("too short");
    assert_eq!(err.code(), "frontier_corrupt");
}
