//! What an auditor is given: signed checkpoints of the log, offline bundles of one document's
//! history with inclusion proofs, consistency proofs between two checkpoints, and the check
//! of the live log against a checkpoint kept earlier. The formats are crate audit's
//! (`docs/audit.md`); the signing key is read from its file by the caller and never stored.

use std::collections::BTreeSet;

use audit::{
    Bundle, BundleEvent, Checkpoint, ConsistencyProof, EventRole, SigningKey, VerifierKey,
};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use domain::ids::DocumentId;
use store::{MetodStore, RecordedEvent, SignedCheckpoint, StreamId, TimePoint, Verification};

use crate::answers::registered_profile;
use crate::app::App;
use crate::basis_events::{basis_events, read_stream_to, BasisRef};
use crate::error::AppError;

/// A bundle made: what to write, and the checkpoint and key it is proved against.
#[derive(Debug, Clone)]
pub struct Proved {
    pub bundle: Bundle,
    pub note: String,
    pub verifier_key: String,
    /// Bases the document's decisions cite that the log does not hold, in words.
    pub bases_not_in_log: Vec<String>,
}

/// What `verify --against` found, with the checkpoint it compared.
#[derive(Debug, Clone)]
pub struct VerifiedAgainst {
    pub checkpoint: Checkpoint,
    pub verification: Verification,
}

impl App {
    /// The origin of this log: `metod/<profile>` of the municipality it registers now.
    pub async fn log_origin(&self) -> Result<String, AppError> {
        let store = self.store().await?;
        let now = TimePoint {
            as_of: self.today()?,
            known_at: None,
        };
        let profile = registered_profile(store.as_ref(), self.profiles()?, now)
            .await?
            .ok_or(AppError::NoMunicipality { at: now })?;
        Ok(format!("metod/{}", profile.name))
    }

    /// Signs the log's current size and root with `key` and keeps the checkpoint.
    pub async fn sign_checkpoint(&self, key: &SigningKey) -> Result<SignedCheckpoint, AppError> {
        let origin = self.log_origin().await?;
        let store = self.store().await?;
        let size = store.last_position().await?;
        let checkpoint = Checkpoint {
            origin,
            size,
            root: store.tree_root(size).await?,
        };
        let note = checkpoint.sign(key)?;
        let verifier = key.verifier().to_string();
        Ok(store
            .keep_signed_checkpoint(size, checkpoint.root, &note, &verifier)
            .await?)
    }

    /// The checkpoints signed so far, oldest first.
    pub async fn signed_checkpoints(&self) -> Result<Vec<SignedCheckpoint>, AppError> {
        Ok(self.store().await?.signed_checkpoints().await?)
    }

    /// The bundle of `document`'s history proved against the checkpoint `note` (verified by
    /// `key`, or by the key kept with it), or against the newest kept checkpoint.
    pub async fn prove(
        &self,
        document: DocumentId,
        note: Option<&str>,
        key: Option<&VerifierKey>,
    ) -> Result<Proved, AppError> {
        let store = self.store().await?;
        let (note, verifier_key) = self.checkpoint_to_prove(note, key).await?;
        let checkpoint = Checkpoint::open(&note, &VerifierKey::parse(&verifier_key)?)?;
        self.matches_log(store.as_ref(), &checkpoint).await?;
        let stream = StreamId::parse(document.stream())?;
        let own = read_stream_to(store.as_ref(), &stream, checkpoint.size).await?;
        if own.is_empty() {
            return Err(AppError::DocumentNotInCheckpoint {
                document: document.stream(),
                size: checkpoint.size,
            });
        }
        let bases: BTreeSet<BasisRef> = own
            .iter()
            .filter_map(|e| e.basis.as_ref())
            .map(BasisRef::of)
            .collect();
        let cited = basis_events(store.as_ref(), &bases, checkpoint.size).await?;
        let mut chosen: Vec<(EventRole, RecordedEvent)> = own
            .into_iter()
            .map(|e| (EventRole::Document, e))
            .chain(cited.events.into_iter().map(|e| (EventRole::Basis, e)))
            .collect();
        chosen.sort_by_key(|(_, e)| e.position);
        chosen.dedup_by_key(|(_, e)| e.position);
        let mut events = Vec::with_capacity(chosen.len());
        for (role, event) in chosen {
            let proof = store
                .inclusion_proof(event.position, checkpoint.size)
                .await?;
            events.push(BundleEvent {
                index: event.position - 1,
                role,
                canonical: B64.encode(store::canonical_bytes(&event)),
                inclusion_proof: proof.iter().map(hex::encode).collect(),
            });
        }
        Ok(Proved {
            bundle: Bundle {
                format: audit::BUNDLE_FORMAT.to_string(),
                document: document.stream(),
                tree_size: checkpoint.size,
                events,
            },
            note,
            verifier_key,
            bases_not_in_log: cited.not_in_log,
        })
    }

    /// The note to prove against and its verifier key: the one given, or the newest kept.
    async fn checkpoint_to_prove(
        &self,
        note: Option<&str>,
        key: Option<&VerifierKey>,
    ) -> Result<(String, String), AppError> {
        let kept = self.signed_checkpoints().await?;
        match note {
            Some(note) => {
                let verifier = match key {
                    Some(key) => key.to_string(),
                    None => kept
                        .iter()
                        .find(|c| c.note == note)
                        .map(|c| c.verifier_key.clone())
                        .ok_or(AppError::VerifierKeyNeeded)?,
                };
                Ok((note.to_string(), verifier))
            }
            None => kept
                .last()
                .map(|c| (c.note.clone(), c.verifier_key.clone()))
                .ok_or(AppError::NoSignedCheckpoint),
        }
    }

    /// Refuses a checkpoint this log cannot prove against: past its end, or of another tree.
    async fn matches_log(
        &self,
        store: &dyn MetodStore,
        checkpoint: &Checkpoint,
    ) -> Result<(), AppError> {
        let origin = self.log_origin().await?;
        if checkpoint.origin != origin {
            return Err(audit::AuditError::OriginMismatch {
                expected: origin,
                found: checkpoint.origin.clone(),
            }
            .into());
        }
        let events = store.last_position().await?;
        if checkpoint.size > events {
            return Err(AppError::CheckpointBeyondLog {
                size: checkpoint.size,
                events,
            });
        }
        if store.tree_root(checkpoint.size).await? != checkpoint.root {
            return Err(AppError::CheckpointNotOfThisLog {
                size: checkpoint.size,
            });
        }
        Ok(())
    }

    /// The proof that the log at `new` extends the log at `old`, both verified by `key`,
    /// checked before it is returned.
    pub async fn consistency(
        &self,
        old: &str,
        new: &str,
        key: &VerifierKey,
    ) -> Result<ConsistencyProof, AppError> {
        let (old, new) = (Checkpoint::open(old, key)?, Checkpoint::open(new, key)?);
        let store = self.store().await?;
        let events = store.last_position().await?;
        for checkpoint in [&old, &new] {
            if checkpoint.size > events {
                return Err(AppError::CheckpointBeyondLog {
                    size: checkpoint.size,
                    events,
                });
            }
        }
        if old.size > new.size {
            return Err(
                audit::AuditError::Consistency(tlog::ProofError::SizesOutOfOrder {
                    old_size: old.size,
                    new_size: new.size,
                })
                .into(),
            );
        }
        let proof = store.consistency_proof(old.size, new.size).await?;
        let proof = ConsistencyProof::new(old.size, new.size, &proof);
        proof.verify(&old, &new)?;
        Ok(proof)
    }

    /// The hash chain, and the tree of the checkpoint's size recomputed from the events,
    /// against the checkpoint `note` signed by `key`.
    pub async fn verify_against(
        &self,
        note: &str,
        key: &VerifierKey,
    ) -> Result<VerifiedAgainst, AppError> {
        let checkpoint = Checkpoint::open(note, key)?;
        let store = self.store().await?;
        let verification =
            store::verify_against(store.as_ref(), checkpoint.size, checkpoint.root).await?;
        Ok(VerifiedAgainst {
            checkpoint,
            verification,
        })
    }
}
