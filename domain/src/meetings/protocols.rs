//! Protocols (000 §4.4; 002 §5.10): drafted by the role the profile names after the meeting,
//! redrafted until signed, signed by the role the profile names, and corrected after signing
//! by a correction that refers to the signed text, which stays.

use crate::associations::state::AssociationState;
use crate::decider::{not_found, Decider, Ruling};
use crate::error::DomainError;
use crate::ids::{AssociationId, MeetingId};
use crate::values::{required_text, ContentHash};

use super::events::*;
use super::state::{MeetingState, MeetingStatus};

impl<'a> Decider<'a> {
    /// The meeting a protocol action concerns and its association: a protocol is drafted,
    /// signed and corrected only on or after the day of the sitting.
    fn protocol_of(
        &self,
        meeting: MeetingId,
    ) -> Result<(&'a MeetingState, &'a AssociationState), DomainError> {
        let on = self.date();
        let (m, state) = self.meeting_with_association(meeting)?;
        if let Some(held_on) = m.date.filter(|d| m.is_held() && on < *d) {
            return Err(DomainError::DateTooEarly {
                what: "протокол оформляется, подписывается и исправляется после заседания",
                date: on,
                earliest: held_on,
            });
        }
        Ok((m, state))
    }

    pub(super) fn draft_protocol(
        &mut self,
        meeting: MeetingId,
        number: &str,
        content_hash: &ContentHash,
    ) -> Result<Ruling, DomainError> {
        let (m, state) = self.protocol_of(meeting)?;
        let rules = &self.profile().meetings;
        // A draft may be redone until it is signed; the last draft is what gets signed.
        if !matches!(
            m.status,
            MeetingStatus::Held | MeetingStatus::ProtocolDrafted
        ) {
            return Err(match m.status {
                MeetingStatus::ProtocolSigned => DomainError::ProtocolAlreadySigned,
                other => DomainError::MeetingState {
                    state: other.in_russian(),
                    action: "оформление протокола",
                },
            });
        }
        let drafter_role = rules.protocol_drafted_by;
        let (drafter, acted_as) = self
            .role_holder(state, &[drafter_role], "оформление протокола")
            .map_err(|_| DomainError::ProtocolDrafterMismatch {
                role: drafter_role.in_russian(),
                clause: rules.protocol_clause.clone(),
            })?;
        Ok(Ruling::new(
            acted_as,
            vec![ProtocolDrafted {
                meeting,
                association: state.id.unwrap_or(*association_of(m)),
                number: required_text("номер протокола", number, 50)?,
                drafted_by: drafter,
                content_hash: content_hash.clone(),
            }
            .into()],
        ))
    }

    pub(super) fn sign_protocol(&mut self, meeting: MeetingId) -> Result<Ruling, DomainError> {
        let (m, state) = self.protocol_of(meeting)?;
        let rules = &self.profile().meetings;
        match m.status {
            MeetingStatus::ProtocolDrafted => {}
            MeetingStatus::ProtocolSigned => return Err(DomainError::ProtocolAlreadySigned),
            other => {
                return Err(DomainError::MeetingState {
                    state: other.in_russian(),
                    action: "подписание протокола",
                })
            }
        }
        let signer_role = rules.protocol_signed_by;
        let (signer, acted_as) = self
            .role_holder(state, &[signer_role], "подписание протокола")
            .map_err(|_| DomainError::ProtocolSignerMismatch {
                role: signer_role.in_russian(),
                clause: rules.protocol_clause.clone(),
            })?;
        self.protocol_basis(m, state);
        Ok(Ruling::new(
            acted_as,
            vec![ProtocolSigned {
                meeting,
                association: *association_of(m),
                signed_by: signer,
                content_hash: m
                    .protocol_hash
                    .clone()
                    .ok_or_else(|| not_found("проект протокола", meeting))?,
            }
            .into()],
        ))
    }

    pub(super) fn correct_protocol(
        &mut self,
        meeting: MeetingId,
        content_hash: &ContentHash,
        reason: &str,
    ) -> Result<Ruling, DomainError> {
        let (m, state) = self.protocol_of(meeting)?;
        let rules = &self.profile().meetings;
        if m.status != MeetingStatus::ProtocolSigned {
            return Err(DomainError::MeetingState {
                state: m.status.in_russian(),
                action: "исправление подписанного протокола",
            });
        }
        let signer_role = rules.protocol_signed_by;
        let (by, acted_as) = self
            .role_holder(state, &[signer_role], "исправление протокола")
            .map_err(|_| DomainError::ProtocolSignerMismatch {
                role: signer_role.in_russian(),
                clause: rules.protocol_clause.clone(),
            })?;
        // Every correction refers to the signed text it corrects.
        let corrects = m
            .protocol_hash
            .clone()
            .ok_or_else(|| not_found("протокол", meeting))?;
        self.protocol_basis(m, state);
        Ok(Ruling::new(
            acted_as,
            vec![ProtocolCorrected {
                meeting,
                association: *association_of(m),
                corrects,
                content_hash: content_hash.clone(),
                reason: required_text("причина исправления", reason, 2000)?,
                corrected_by: by,
            }
            .into()],
        ))
    }
}

fn association_of(m: &MeetingState) -> &AssociationId {
    // Every existing meeting has its association (set by its first event).
    m.association.as_ref().unwrap_or(&NIL_ASSOCIATION)
}

static NIL_ASSOCIATION: AssociationId = AssociationId::from_uuid(uuid::Uuid::nil());
