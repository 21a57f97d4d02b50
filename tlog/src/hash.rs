//! The two hashes of RFC 6962 §2.1 and the Merkle tree hash (MTH) of a list of leaves.

use sha2::{Digest, Sha256};

pub const HASH_LEN: usize = 32;

/// A SHA-256 value: a leaf, a node or a root.
pub type Hash = [u8; HASH_LEN];

/// The root of the empty tree: SHA-256 of nothing.
pub fn empty_root() -> Hash {
    Sha256::digest([]).into()
}

/// `SHA-256(0x00 || data)`: the prefix keeps a leaf from passing for a node.
pub fn leaf_hash(data: &[u8]) -> Hash {
    let mut h = Sha256::new();
    h.update([0x00]);
    h.update(data);
    h.finalize().into()
}

/// `SHA-256(0x01 || left || right)`.
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    let mut h = Sha256::new();
    h.update([0x01]);
    h.update(left);
    h.update(right);
    h.finalize().into()
}

/// MTH over the leaves' hashes, built level by level (an odd last node is carried up as it
/// is), which gives the RFC's split at the largest power of two without recursion.
pub fn root(leaf_hashes: &[Hash]) -> Hash {
    if leaf_hashes.is_empty() {
        return empty_root();
    }
    let mut level = leaf_hashes.to_vec();
    while level.len() > 1 {
        level = level
            .chunks(2)
            .map(|pair| match pair {
                [l, r] => node_hash(l, r),
                // chunks(2) yields one or two, never none
                _ => pair[0],
            })
            .collect();
    }
    level[0]
}
