//! Where the proofs read the tree from: the hash of a complete subtree by its level and index.
//! The store answers from its stored nodes; `MemoryTree` answers from a list of leaves.

use std::collections::BTreeMap;

use crate::error::ProofError;
use crate::hash::{node_hash, Hash};

/// A complete subtree of `2^level` leaves, the `index`-th of its level: it covers the leaves
/// `index * 2^level .. (index + 1) * 2^level`. Level 0 is the leaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NodeId {
    pub level: u8,
    pub index: u64,
}

impl NodeId {
    pub fn new(level: u8, index: u64) -> Self {
        NodeId { level, index }
    }

    /// The first leaf the subtree covers.
    pub fn first_leaf(&self) -> u64 {
        self.index << self.level
    }

    /// The number of leaves the subtree covers.
    pub fn width(&self) -> u64 {
        1u64 << self.level
    }
}

/// The hash of any complete subtree of the tree a proof is made from.
///
/// The error is the source's own (a store's, say), so a missing node or a failed read is
/// reported as the source knows it; it only has to take in the proofs' own refusals.
pub trait NodeSource {
    type Error: From<ProofError>;

    fn node(&self, id: NodeId) -> Result<Hash, Self::Error>;
}

/// Nodes fetched ahead, e.g. by an asynchronous store from `inclusion_proof_nodes`.
impl NodeSource for BTreeMap<NodeId, Hash> {
    type Error = ProofError;

    fn node(&self, id: NodeId) -> Result<Hash, ProofError> {
        self.get(&id).copied().ok_or(ProofError::NodeMissing {
            level: id.level,
            index: id.index,
        })
    }
}

/// Every complete subtree of a list of leaves, level by level, built once in O(n).
#[derive(Debug, Clone, Default)]
pub struct MemoryTree {
    levels: Vec<Vec<Hash>>,
}

impl MemoryTree {
    pub fn new(leaf_hashes: &[Hash]) -> Self {
        let mut levels = vec![leaf_hashes.to_vec()];
        loop {
            let below = &levels[levels.len() - 1];
            if below.len() < 2 {
                break;
            }
            // only full pairs: a lone last node is not a complete subtree of the level above
            let above: Vec<Hash> = below
                .chunks_exact(2)
                .map(|pair| node_hash(&pair[0], &pair[1]))
                .collect();
            levels.push(above);
        }
        MemoryTree { levels }
    }

    /// The number of leaves.
    pub fn size(&self) -> u64 {
        self.levels.first().map_or(0, |leaves| leaves.len() as u64)
    }
}

impl NodeSource for MemoryTree {
    type Error = ProofError;

    fn node(&self, id: NodeId) -> Result<Hash, ProofError> {
        usize::try_from(id.index)
            .ok()
            .and_then(|i| self.levels.get(usize::from(id.level))?.get(i))
            .copied()
            .ok_or(ProofError::NodeMissing {
                level: id.level,
                index: id.index,
            })
    }
}
