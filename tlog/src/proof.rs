//! Inclusion and consistency proofs (RFC 9162 §2.1.3–2.1.4): which subtrees a proof is made
//! of, the proof read from a `NodeSource`, and its verification by someone holding only
//! the roots.
//!
//! Every element of a proof is the MTH of a range of leaves `begin..end` in which `begin` is a
//! multiple of a power of two at least `end - begin`; such a range is the complete subtrees of
//! its binary digits, largest first, joined from the right. A store keeps only complete
//! subtrees, and that is all a proof asks of it.

use crate::error::ProofError;
use crate::hash::{empty_root, node_hash, Hash};
use crate::source::{NodeId, NodeSource};

/// The largest power of two below `n`, for `n >= 2`: the RFC's `k`.
fn split(n: u64) -> u64 {
    1u64 << (63 - (n - 1).leading_zeros())
}

/// The complete subtrees of the range `begin..end`, largest first.
fn range_nodes(mut begin: u64, end: u64) -> Vec<NodeId> {
    let mut nodes = Vec::new();
    while begin < end {
        let fits = 63 - (end - begin).leading_zeros();
        let level = begin.trailing_zeros().min(fits);
        nodes.push(NodeId::new(level as u8, begin >> level));
        begin += 1u64 << level;
    }
    nodes
}

fn range_hash<S: NodeSource>(begin: u64, end: u64, source: &S) -> Result<Hash, S::Error> {
    let mut nodes = range_nodes(begin, end).into_iter().rev();
    let Some(last) = nodes.next() else {
        return Ok(empty_root());
    };
    let mut acc = source.node(last)?;
    for id in nodes {
        acc = node_hash(&source.node(id)?, &acc);
    }
    Ok(acc)
}

/// The ranges of PATH(index, D[0:size]), from the leaf up.
fn inclusion_ranges(index: u64, size: u64) -> Result<Vec<(u64, u64)>, ProofError> {
    if index >= size {
        return Err(ProofError::IndexOutOfRange { index, size });
    }
    let mut ranges = Vec::new();
    let (mut begin, mut end) = (0, size);
    while end - begin > 1 {
        let mid = begin + split(end - begin);
        if index < mid {
            ranges.push((mid, end));
            end = mid;
        } else {
            ranges.push((begin, mid));
            begin = mid;
        }
    }
    ranges.reverse();
    Ok(ranges)
}

/// The ranges of PROOF(old_size, D[0:new_size]), in the RFC's order. None when the sizes are
/// equal or the old tree is empty: then the proof is empty.
fn consistency_ranges(old_size: u64, new_size: u64) -> Result<Vec<(u64, u64)>, ProofError> {
    if old_size > new_size {
        return Err(ProofError::SizesOutOfOrder { old_size, new_size });
    }
    let mut ranges = Vec::new();
    if old_size == 0 || old_size == new_size {
        return Ok(ranges);
    }
    let (mut m, mut begin, mut end) = (old_size, 0, new_size);
    // whether the old tree is still a left edge subtree, whose root the verifier already has
    let mut on_edge = true;
    loop {
        let n = end - begin;
        if m == n {
            if !on_edge {
                ranges.push((begin, end));
            }
            break;
        }
        let k = split(n);
        if m <= k {
            ranges.push((begin + k, end));
            end = begin + k;
        } else {
            ranges.push((begin, begin + k));
            m -= k;
            begin += k;
            on_edge = false;
        }
    }
    ranges.reverse();
    Ok(ranges)
}

fn nodes_of(ranges: &[(u64, u64)]) -> Vec<NodeId> {
    let mut nodes: Vec<NodeId> = ranges
        .iter()
        .flat_map(|&(begin, end)| range_nodes(begin, end))
        .collect();
    nodes.sort_unstable();
    nodes.dedup();
    nodes
}

fn hashes_of<S: NodeSource>(ranges: &[(u64, u64)], source: &S) -> Result<Vec<Hash>, S::Error> {
    ranges
        .iter()
        .map(|&(begin, end)| range_hash(begin, end, source))
        .collect()
}

/// The root of the tree of the first `size` leaves, from its complete subtrees.
pub fn root_at<S: NodeSource>(size: u64, source: &S) -> Result<Hash, S::Error> {
    range_hash(0, size, source)
}

/// The complete subtrees the root of the first `size` leaves is made of (see
/// `inclusion_proof_nodes`).
pub fn root_nodes(size: u64) -> Vec<NodeId> {
    range_nodes(0, size)
}

/// The complete subtrees an inclusion proof is made of, so that a source that cannot be asked
/// one node at a time (an asynchronous store) fetches them first into a `BTreeMap`.
pub fn inclusion_proof_nodes(index: u64, size: u64) -> Result<Vec<NodeId>, ProofError> {
    Ok(nodes_of(&inclusion_ranges(index, size)?))
}

/// The complete subtrees a consistency proof is made of (see `inclusion_proof_nodes`).
pub fn consistency_proof_nodes(old_size: u64, new_size: u64) -> Result<Vec<NodeId>, ProofError> {
    Ok(nodes_of(&consistency_ranges(old_size, new_size)?))
}

/// The inclusion proof of the leaf `index` in the tree of the first `size` leaves
/// (RFC 9162 §2.1.3.1), from the leaf's sibling up.
pub fn inclusion_proof<S: NodeSource>(
    index: u64,
    size: u64,
    source: &S,
) -> Result<Vec<Hash>, S::Error> {
    hashes_of(&inclusion_ranges(index, size)?, source)
}

/// The proof that the tree of `new_size` leaves extends the tree of `old_size`
/// (RFC 9162 §2.1.4.1).
pub fn consistency_proof<S: NodeSource>(
    old_size: u64,
    new_size: u64,
    source: &S,
) -> Result<Vec<Hash>, S::Error> {
    hashes_of(&consistency_ranges(old_size, new_size)?, source)
}

/// Shifts both right until `fnode`'s lowest bit is set or it is zero.
fn climb(fnode: &mut u64, snode: &mut u64) {
    while *fnode != 0 && *fnode & 1 == 0 {
        *fnode >>= 1;
        *snode >>= 1;
    }
}

/// Checks that `leaf` is the leaf `index` of the tree of `size` leaves whose root is `root`
/// (RFC 9162 §2.1.3.2).
pub fn verify_inclusion(
    leaf: &Hash,
    index: u64,
    size: u64,
    proof: &[Hash],
    root: &Hash,
) -> Result<(), ProofError> {
    if index >= size {
        return Err(ProofError::IndexOutOfRange { index, size });
    }
    let invalid = ProofError::InclusionProofInvalid { index, size };
    let (mut fnode, mut snode) = (index, size - 1);
    let mut acc = *leaf;
    for p in proof {
        if snode == 0 {
            return Err(invalid);
        }
        if fnode & 1 == 1 || fnode == snode {
            acc = node_hash(p, &acc);
            if fnode & 1 == 0 {
                climb(&mut fnode, &mut snode);
            }
        } else {
            acc = node_hash(&acc, p);
        }
        fnode >>= 1;
        snode >>= 1;
    }
    if snode == 0 && acc == *root {
        Ok(())
    } else {
        Err(invalid)
    }
}

/// Checks that the tree of `new_size` leaves with root `new_root` extends the tree of
/// `old_size` leaves with root `old_root` (RFC 9162 §2.1.4.2).
pub fn verify_consistency(
    old_size: u64,
    new_size: u64,
    old_root: &Hash,
    new_root: &Hash,
    proof: &[Hash],
) -> Result<(), ProofError> {
    if old_size > new_size {
        return Err(ProofError::SizesOutOfOrder { old_size, new_size });
    }
    let invalid = ProofError::ConsistencyProofInvalid { old_size, new_size };
    if old_size == new_size {
        return if proof.is_empty() && old_root == new_root {
            Ok(())
        } else {
            Err(invalid)
        };
    }
    if old_size == 0 {
        // every tree extends the empty one; its root is still checked, so that a mistaken
        // old checkpoint is not taken for the empty log
        return if proof.is_empty() && *old_root == empty_root() {
            Ok(())
        } else {
            Err(invalid)
        };
    }
    if proof.is_empty() {
        return Err(invalid);
    }
    let mut path: Vec<&Hash> = proof.iter().collect();
    if old_size.is_power_of_two() {
        path.insert(0, old_root);
    }
    let Some((first, rest)) = path.split_first() else {
        return Err(invalid);
    };
    let (mut fnode, mut snode) = (old_size - 1, new_size - 1);
    climb_past_ones(&mut fnode, &mut snode);
    let (mut old_acc, mut new_acc) = (**first, **first);
    for c in rest {
        if snode == 0 {
            return Err(invalid);
        }
        if fnode & 1 == 1 || fnode == snode {
            old_acc = node_hash(c, &old_acc);
            new_acc = node_hash(c, &new_acc);
            if fnode & 1 == 0 {
                climb(&mut fnode, &mut snode);
            }
        } else {
            new_acc = node_hash(&new_acc, c);
        }
        fnode >>= 1;
        snode >>= 1;
    }
    if old_acc == *old_root && new_acc == *new_root && snode == 0 {
        Ok(())
    } else {
        Err(invalid)
    }
}

/// Shifts both right while `fnode`'s lowest bit is set.
fn climb_past_ones(fnode: &mut u64, snode: &mut u64) {
    while *fnode & 1 == 1 {
        *fnode >>= 1;
        *snode >>= 1;
    }
}
