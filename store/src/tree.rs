//! The Merkle tree over the log (crate tlog) as the store keeps it: the statements of its
//! nodes' table, its frontier beside the head, and the trait that reads roots and proofs.

use std::collections::BTreeMap;

use async_trait::async_trait;
use tlog::{Frontier, Hash, NodeId, ProofError};

use crate::error::{StoreError, StoreResult};

/// The columns of `tree_nodes`, in the order the statements name them.
pub(crate) const TREE_NODE_COLUMNS: &str = "position, level, hash";

/// A node's key in `tree_nodes`: the position of the last event it covers, and its level.
pub(crate) fn node_key(id: &NodeId) -> (i64, i32) {
    ((id.first_leaf() + id.width()) as i64, i32::from(id.level))
}

/// The lowest level kept in `tree_nodes` (the migration's CHECK): subtrees of 64 leaves and
/// up, one row per 32 events instead of two, and a single append writes a node only every
/// 64th time. A smaller subtree a proof needs is hashed from its at most 32 events' hashes.
pub(crate) const LOWEST_STORED_LEVEL: u8 = 6;

/// The most nodes one statement writes: three values a node, well under SQLite's 32,766.
pub(crate) const NODES_PER_INSERT: usize = 2_000;

/// Whether an append or a build keeps `node` (see `LOWEST_STORED_LEVEL`).
pub(crate) fn is_stored(node: &NodeId) -> bool {
    node.level >= LOWEST_STORED_LEVEL
}

/// The nodes `ids` that are computed rather than read, each with the positions of the
/// events under it, `first..=last`.
pub(crate) fn derived_ranges(ids: &[NodeId]) -> Vec<(NodeId, u64, u64)> {
    ids.iter()
        .filter(|id| !is_stored(id))
        .map(|id| (*id, id.first_leaf() + 1, id.first_leaf() + id.width()))
        .collect()
}

/// The hash of a computed node from the events' hashes under it (`leaves` by position).
pub(crate) fn derived_hash(
    range: &(NodeId, u64, u64),
    leaves: &BTreeMap<u64, Hash>,
) -> Result<Hash, ProofError> {
    let (id, first, last) = *range;
    let under: Vec<Hash> = leaves.range(first..=last).map(|(_, h)| *h).collect();
    if under.len() as u64 != id.width() {
        return Err(ProofError::NodeMissing {
            level: id.level,
            index: id.index,
        });
    }
    Ok(tlog::root(&under))
}

/// Events read a page at a time when the tree of an older log is built.
pub(crate) const EVENTS_PER_BUILD_PAGE: i64 = 10_000;

/// The RFC 6962/9162 tree whose leaf `N - 1` is the hash of the event at position `N`
/// (`tlog::leaf_hash` of its 32-byte chain hash), read from the stored nodes: a root or a
/// proof reads O(log n) of them in one query.
#[async_trait]
pub trait LogTree: Send + Sync {
    /// The root of the tree of the first `size` events (SHA-256 of nothing for 0).
    async fn tree_root(&self, size: u64) -> StoreResult<Hash>;

    /// The inclusion proof of the event at `position` (from 1) in the tree of the first
    /// `size` events, as `tlog::verify_inclusion` takes it (leaf index `position - 1`).
    async fn inclusion_proof(&self, position: u64, size: u64) -> StoreResult<Vec<Hash>>;

    /// The proof that the tree of the first `new_size` events extends that of `old_size`.
    async fn consistency_proof(&self, old_size: u64, new_size: u64) -> StoreResult<Vec<Hash>>;
}

/// `INSERT` of `rows` nodes, parameters numbered as both backends read them.
pub(crate) fn insert_nodes_sql(rows: usize) -> String {
    let values: Vec<String> = (0..rows)
        .map(|i| format!("(${}, ${}, ${})", 3 * i + 1, 3 * i + 2, 3 * i + 3))
        .collect();
    format!(
        "INSERT INTO tree_nodes ({TREE_NODE_COLUMNS}) VALUES {}",
        values.join(", ")
    )
}

/// One `SELECT` of `stored` nodes by their key and of the hashes of the events at
/// `positions` listed positions (as level -1), parameters in that order.
pub(crate) fn select_nodes_sql(stored: usize, positions: usize) -> String {
    let keys: Vec<String> = (0..stored)
        .map(|i| format!("(position = ${} AND level = ${})", 2 * i + 1, 2 * i + 2))
        .collect();
    let first = 2 * stored;
    // The events by their positions, one by one, not as OR'd ranges: PostgreSQL estimates a
    // list of keys of a unique index as that many rows; ranges, before the table's first
    // ANALYZE, as a tenth of the log, and planned a parallel scan with JIT (a consistency
    // proof p99 of 35–40 ms on a fresh million-event log instead of about 1).
    let listed: Vec<String> = (0..positions)
        .map(|i| format!("${}", first + i + 1))
        .collect();
    let nodes = format!(
        "SELECT {TREE_NODE_COLUMNS} FROM tree_nodes WHERE {}",
        keys.join(" OR ")
    );
    let events = format!(
        "SELECT position, -1, hash FROM events WHERE position IN ({})",
        listed.join(", ")
    );
    match (stored, positions) {
        (_, 0) => nodes,
        (0, _) => events,
        _ => format!("{nodes} UNION ALL {events}"),
    }
}

/// The positions of the events under the computed nodes `ranges`, each once, in order.
pub(crate) fn derived_positions(ranges: &[(NodeId, u64, u64)]) -> Vec<u64> {
    let set: std::collections::BTreeSet<u64> = ranges
        .iter()
        .flat_map(|(_, first, last)| *first..=*last)
        .collect();
    set.into_iter().collect()
}

/// A row of `select_nodes_sql`, checked: a stored node, or (level -1) an event's hash at
/// its position.
pub(crate) enum NodeRow {
    Node(NodeId, Hash),
    Event(u64, Hash),
}

pub(crate) fn node_from(position: i64, level: i32, hash: Vec<u8>) -> StoreResult<NodeRow> {
    let corrupt = || StoreError::CorruptRow {
        position: position.max(0) as u64,
        reason: format!("узел дерева уровня {level}, хеш {} байт", hash.len()),
    };
    let end = u64::try_from(position).map_err(|_| corrupt())?;
    let hash = Hash::try_from(hash.as_slice()).map_err(|_| corrupt())?;
    if level == -1 {
        return Ok(NodeRow::Event(end, hash));
    }
    let level = u8::try_from(level)
        .ok()
        .filter(|l| *l < 64 && end > 0 && end % (1u64 << l) == 0)
        .ok_or_else(corrupt)?;
    Ok(NodeRow::Node(NodeId::new(level, (end >> level) - 1), hash))
}

/// The leaf index of the event at `position` in a tree of `size` leaves.
pub(crate) fn leaf_index(position: u64, size: u64) -> Result<u64, ProofError> {
    match position.checked_sub(1) {
        Some(index) if index < size => Ok(index),
        _ => Err(ProofError::IndexOutOfRange {
            index: position.wrapping_sub(1),
            size,
        }),
    }
}

/// The frontier stored beside a head at `position`: it must cover exactly the log.
pub(crate) fn frontier_of(position: u64, stored: Option<&[u8]>) -> StoreResult<Frontier> {
    let Some(bytes) = stored else {
        // Only a store whose tree was never built has a head without one; opening it builds
        // the tree, so an append never meets this.
        return Err(ProofError::FrontierCorrupt {
            reason: format!("у головы журнала (позиция {position}) нет края дерева"),
        }
        .into());
    };
    let frontier = Frontier::from_bytes(bytes)?;
    if frontier.size() != position {
        return Err(ProofError::FrontierCorrupt {
            reason: format!(
                "край дерева из {} листьев при голове журнала на позиции {position}",
                frontier.size()
            ),
        }
        .into());
    }
    Ok(frontier)
}
