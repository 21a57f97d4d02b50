//! `verify`: recomputes the hash chain of the whole log and names the first position that
//! does not verify.

use tlog::Frontier;

use crate::envelope::{Hash, RecordedEvent, GENESIS_HASH};
use crate::error::StoreError;
use crate::event_store::EventStore;
use crate::integrity::recompute_hash;

/// The outcome of a verification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verification {
    /// Every event verifies; `head` is the hash of the last one (zeros for an empty log).
    Intact { events: u64, head: Hash },
    /// The first position that does not verify, and why (in Russian).
    Broken { position: u64, reason: String },
}

impl Verification {
    pub fn is_intact(&self) -> bool {
        matches!(self, Verification::Intact { .. })
    }
}

/// Reads the whole log in pages and recomputes every hash.
pub async fn verify(store: &dyn EventStore) -> Result<Verification, StoreError> {
    chain(store, None, 1, GENESIS_HASH).await
}

/// As `verify`, for a log whose first `verified` events were verified before and the last
/// of them had the hash `head`: only the events after it are read, chained to it, and the
/// end of the log checked against the head record. A change to an event already verified
/// is not seen here — the full `verify` and `verify_against` see it.
pub async fn verify_after(
    store: &dyn EventStore,
    verified: u64,
    head: Hash,
) -> Result<Verification, StoreError> {
    chain(store, None, verified + 1, head).await
}

/// As `verify`, and the Merkle tree of the first `size` events, recomputed from the events
/// themselves (not from the stored nodes, which a rewrite would have recomputed too), must
/// have the root a checkpoint signed earlier says. A log rewritten and rehashed since passes
/// `verify` and fails here.
pub async fn verify_against(
    store: &dyn EventStore,
    size: u64,
    root: Hash,
) -> Result<Verification, StoreError> {
    let mut against = Against::new(size);
    let verification = chain(store, Some(&mut against), 1, GENESIS_HASH).await?;
    Ok(compared(verification, size, root, against.frontier.root()))
}

/// The tree of the first `size` events, fed as the chain is checked.
struct Against {
    size: u64,
    frontier: Frontier,
}

impl Against {
    fn new(size: u64) -> Self {
        Self {
            size,
            frontier: Frontier::new(),
        }
    }

    fn feed(&mut self, page: &[RecordedEvent]) {
        for event in page.iter().take_while(|e| e.position <= self.size) {
            self.frontier.push(tlog::leaf_hash(&event.hash));
        }
    }
}

/// An intact chain's verdict against the checkpoint's size and root.
fn compared(verification: Verification, size: u64, root: Hash, tree_root: Hash) -> Verification {
    let Verification::Intact { events, .. } = verification else {
        return verification;
    };
    if events < size {
        return Verification::Broken {
            position: events + 1,
            reason: format!(
                "в журнале {events} событий, а контрольная точка подписана на {size}: события после позиции {events} удалены"
            ),
        };
    }
    if tree_root != root {
        return Verification::Broken {
            position: size,
            reason: format!(
                "корень дерева первых {size} событий не совпадает с контрольной точкой: события 1–{size} изменены после её подписи"
            ),
        };
    }
    verification
}

/// Checks the chain, feeding `against` the pages that verified.
async fn chain(
    store: &dyn EventStore,
    mut against: Option<&mut Against>,
    from: u64,
    prev: Hash,
) -> Result<Verification, StoreError> {
    let mut expected_position = from;
    let mut prev: Hash = prev;
    // The head is read after the events: when it names later events than were read, they
    // may have been appended meanwhile (an append writes its events and the head together),
    // so they are read and chained too; only a head that names events no longer there is a
    // break.
    let head = loop {
        let reached = chain_to_end(
            store,
            against.as_deref_mut(),
            &mut expected_position,
            &mut prev,
        )
        .await?;
        if let Some(broken) = reached {
            return Ok(broken);
        }
        let head = store.head().await?;
        let appended_meanwhile = match &head {
            Some(head) if head.position >= expected_position => {
                !store.read_all(expected_position, 1).await?.is_empty()
            }
            _ => false,
        };
        if !appended_meanwhile {
            break head;
        }
    };
    let events = expected_position - 1;
    match head {
        None if events == 0 => Ok(Verification::Intact { events, head: prev }),
        // Every event verifies; what cannot be checked is whether the log ended there: the
        // break is just past the last event, as when the head names later, deleted events.
        None => Ok(Verification::Broken {
            position: events + 1,
            reason: format!(
                "события 1–{events} сходятся, но запись о конце журнала (позиция и хеш последнего события) отсутствует: удаление событий после позиции {events} не обнаружить"
            ),
        }),
        Some(head) if head.position > events => Ok(missing(events + 1, head.position + 1)),
        Some(head) if head.position < events => Ok(Verification::Broken {
            position: head.position + 1,
            reason: format!(
                "журнал должен заканчиваться на позиции {}, но в нём есть события после неё",
                head.position
            ),
        }),
        Some(head) if head.hash != prev => Ok(Verification::Broken {
            position: events,
            reason: "хеш последнего события не совпадает с записанным концом журнала".into(),
        }),
        Some(_) => Ok(Verification::Intact { events, head: prev }),
    }
}

/// Chains the events from `expected_position` to the end of the log onto `prev`: the break
/// if one is found, else `None` with both moved past the last event.
async fn chain_to_end(
    store: &dyn EventStore,
    mut against: Option<&mut Against>,
    expected_position: &mut u64,
    prev: &mut Hash,
) -> Result<Option<Verification>, StoreError> {
    const PAGE: usize = 10_000;
    loop {
        let page = match store.read_all(*expected_position, PAGE).await {
            Ok(page) => page,
            Err(StoreError::CorruptRow { position, reason }) => {
                // A page stops at the corrupt row; anything before it is checked first.
                let before = position.saturating_sub(*expected_position) as usize;
                let page = if before > 0 {
                    store.read_all(*expected_position, before).await?
                } else {
                    Vec::new()
                };
                if let Some(broken) = check_page(&page, expected_position, prev) {
                    return Ok(Some(broken));
                }
                if position > *expected_position {
                    return Ok(Some(missing(*expected_position, position)));
                }
                return Ok(Some(Verification::Broken { position, reason }));
            }
            Err(e) => return Err(e),
        };
        if page.is_empty() {
            return Ok(None);
        }
        if let Some(broken) = check_page(&page, expected_position, prev) {
            return Ok(Some(broken));
        }
        if let Some(against) = against.as_deref_mut() {
            against.feed(&page);
        }
    }
}

fn missing(expected: u64, found: u64) -> Verification {
    Verification::Broken {
        position: expected,
        reason: if found == expected + 1 {
            format!("событие на позиции {expected} отсутствует")
        } else {
            format!("события на позициях {expected}–{} отсутствуют", found - 1)
        },
    }
}

fn check_page(
    page: &[crate::envelope::RecordedEvent],
    expected_position: &mut u64,
    prev: &mut Hash,
) -> Option<Verification> {
    for event in page {
        if event.position != *expected_position {
            return Some(missing(*expected_position, event.position));
        }
        if event.prev_hash != *prev {
            return Some(Verification::Broken {
                position: event.position,
                reason: "ссылка на хеш предыдущего события не совпадает".into(),
            });
        }
        if recompute_hash(event, prev) != event.hash {
            return Some(Verification::Broken {
                position: event.position,
                reason: "хеш события не совпадает с его содержимым: запись изменена".into(),
            });
        }
        *prev = event.hash;
        *expected_position += 1;
    }
    None
}
