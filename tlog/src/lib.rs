//! The RFC 6962/9162 Merkle tree over the log: leaf and node hashes, the root of any size,
//! inclusion and consistency proofs and their verification. Pure: no I/O, no store; the store
//! keeps the nodes, the auditor's verifier checks the proofs.

mod error;
mod frontier;
mod hash;
mod proof;
mod source;

pub use error::ProofError;
pub use frontier::Frontier;
pub use hash::{empty_root, leaf_hash, node_hash, root, Hash, HASH_LEN};
pub use proof::{
    consistency_proof, consistency_proof_nodes, inclusion_proof, inclusion_proof_nodes, root_at,
    root_nodes, verify_consistency, verify_inclusion,
};
pub use source::{MemoryTree, NodeId, NodeSource};
