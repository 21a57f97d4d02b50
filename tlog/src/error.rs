//! Why a tree, a proof or a frontier is refused: a Russian message for the people who read it,
//! a stable English code for programs and logs.

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProofError {
    #[error("лист {index} вне дерева из {size} листьев")]
    IndexOutOfRange { index: u64, size: u64 },

    #[error("старый размер журнала {old_size} больше нового {new_size}")]
    SizesOutOfOrder { old_size: u64, new_size: u64 },

    #[error(
        "доказательство включения листа {index} в дерево из {size} листьев не сходится с корнем"
    )]
    InclusionProofInvalid { index: u64, size: u64 },

    #[error(
        "доказательство согласованности дерева из {old_size} листьев с деревом из {new_size} не сходится с корнями"
    )]
    ConsistencyProofInvalid { old_size: u64, new_size: u64 },

    #[error("в дереве нет узла уровня {level} с номером {index}")]
    NodeMissing { level: u8, index: u64 },

    #[error("край дерева повреждён: {reason}")]
    FrontierCorrupt { reason: String },
}

impl ProofError {
    /// The stable English code of this error.
    pub fn code(&self) -> &'static str {
        match self {
            ProofError::IndexOutOfRange { .. } => "leaf_index_out_of_range",
            ProofError::SizesOutOfOrder { .. } => "tree_sizes_out_of_order",
            ProofError::InclusionProofInvalid { .. } => "inclusion_proof_invalid",
            ProofError::ConsistencyProofInvalid { .. } => "consistency_proof_invalid",
            ProofError::NodeMissing { .. } => "tree_node_missing",
            ProofError::FrontierCorrupt { .. } => "frontier_corrupt",
        }
    }
}
