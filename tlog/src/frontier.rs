//! The right edge of the tree: the roots of its complete subtrees, one per set bit of its
//! size, largest first. It is all an append needs to know the new root, so the store keeps the
//! tree current in O(log n) per event.

use crate::error::ProofError;
use crate::hash::{empty_root, node_hash, Hash, HASH_LEN};
use crate::source::NodeId;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Frontier {
    size: u64,
    /// The complete subtrees covering the leaves `0..size`, largest (leftmost) first.
    edge: Vec<Hash>,
}

impl Frontier {
    pub fn new() -> Self {
        Self::default()
    }

    /// The number of leaves appended.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Appends a leaf and returns the complete subtrees it completes, from the leaf itself
    /// up: the nodes a store writes so that proofs can be read from it later.
    pub fn push(&mut self, leaf: Hash) -> Vec<(NodeId, Hash)> {
        let index = self.size;
        let mut made = vec![(NodeId::new(0, index), leaf)];
        let mut acc = leaf;
        let mut level = 0u8;
        // each set low bit of the old size is a left sibling now complete on its right
        while (index >> level) & 1 == 1 {
            let Some(left) = self.edge.pop() else {
                break;
            };
            acc = node_hash(&left, &acc);
            level += 1;
            made.push((NodeId::new(level, index >> level), acc));
        }
        self.edge.push(acc);
        self.size += 1;
        made
    }

    /// The root of the tree of the leaves appended so far.
    pub fn root(&self) -> Hash {
        let mut subtrees = self.edge.iter().rev();
        let Some(last) = subtrees.next() else {
            return empty_root();
        };
        subtrees.fold(*last, |acc, left| node_hash(left, &acc))
    }

    /// The size (8 bytes, big-endian) and then the edge's hashes, largest first.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = Vec::with_capacity(8 + self.edge.len() * HASH_LEN);
        bytes.extend_from_slice(&self.size.to_be_bytes());
        for h in &self.edge {
            bytes.extend_from_slice(h);
        }
        bytes
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Self, ProofError> {
        let corrupt = |reason: String| ProofError::FrontierCorrupt { reason };
        let (head, rest) = bytes
            .split_first_chunk::<8>()
            .ok_or_else(|| corrupt(format!("{} байт вместо не менее 8", bytes.len())))?;
        let size = u64::from_be_bytes(*head);
        let expected = size.count_ones() as usize * HASH_LEN;
        if rest.len() != expected {
            return Err(corrupt(format!(
                "для {size} листьев нужно {expected} байт хешей, а их {}",
                rest.len()
            )));
        }
        let edge = rest
            .chunks_exact(HASH_LEN)
            .map(|c| {
                let mut h = [0u8; HASH_LEN];
                h.copy_from_slice(c);
                h
            })
            .collect();
        Ok(Frontier { size, edge })
    }
}
