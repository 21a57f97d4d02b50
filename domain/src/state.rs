//! The state of each aggregate, folded from its stream with `evolve`. Each state is defined in
//! the folder of its area; this module re-exports them under their old paths
//! (`domain::state::X`).

pub use crate::aggregate::{Aggregate, Term};
pub use crate::associations::state::*;
pub use crate::documents::state::*;
pub use crate::meetings::state::*;
pub use crate::membership::state::*;
pub use crate::orders::state::*;
pub use crate::registry::state::*;
pub use crate::roles::events::vote_adds_up;
