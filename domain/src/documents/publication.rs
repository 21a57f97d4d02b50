//! Publication of a final document where the profile says (001 §1.3: the ММО places its plan
//! for the school year on the Управление's site, section «Муниципальная методическая
//! служба»): an action of its own, with its day and address, recorded by the association's
//! head or the operator, once for each final version.

use crate::decider::{exists, not_found, ActedAs, Acting, Decider, Ruling};
use crate::error::DomainError;
use crate::ids::DocumentId;
use crate::values::{required_text, AssociationRole, DocumentType, Level};

use super::events::DocumentPublished;
use super::state::DocumentStatus;

impl<'a> Decider<'a> {
    pub(crate) fn publish_document(
        &mut self,
        document: DocumentId,
        address: &str,
    ) -> Result<Ruling, DomainError> {
        let world = self.ctx.world;
        let doc = world
            .document(document)
            .ok_or_else(|| not_found("документ", document))?;
        let association = doc
            .association
            .ok_or_else(|| not_found("объединение", "документа"))?;
        let state = world
            .association(association)
            .ok_or_else(|| not_found("объединение", association))?;
        let document_type = doc.document_type.unwrap_or(DocumentType::WorkPlan);
        let rule = self
            .profile()
            .document_rule(document_type, state.level.unwrap_or(Level::City));
        if rule.is_none_or(|r| r.publish_on.is_none() || r.publish_clause.is_none()) {
            return Err(DomainError::PublicationNotProvided {
                document: document_type.in_russian(),
                clause: self.chain_clause(doc),
            });
        }
        let final_since = match doc.status {
            DocumentStatus::Recorded => doc.since,
            DocumentStatus::Approved => doc.closed_on,
            _ => {
                return Err(DomainError::DocumentState {
                    state: doc.status.in_russian(),
                    action: "размещение на сайте",
                })
            }
        };
        if let Some(earliest) = final_since.filter(|d| self.date() < *d) {
            return Err(DomainError::DateTooEarly {
                what: "документ размещается не раньше, чем принят или утверждён",
                date: self.date(),
                earliest,
            });
        }
        let version = doc.last_version();
        if doc.published.is_some_and(|(v, _)| v == version) {
            return Err(exists(
                "размещение на сайте",
                format!("{document}, версия {version}"),
            ));
        }
        let acted_as = match self.ctx.acting {
            Acting::Operator => ActedAs::Operator,
            Acting::Person(_) => {
                self.role_holder(state, &[AssociationRole::Head], "размещение на сайте")?
                    .1
            }
        };
        Ok(Ruling::new(
            acted_as,
            vec![DocumentPublished {
                document,
                association,
                version,
                address: required_text("адрес размещения", address, 500)?,
            }
            .into()],
        ))
    }
}
