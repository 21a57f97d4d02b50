//! A meeting's state: its date, attendance and decisions, and its protocol.

use chrono::NaiveDate;

use crate::aggregate::Aggregate;
use crate::calendar::SchoolYear;
use crate::events::{Event, Fact};
use crate::ids::{AssociationId, MeetingId, PersonId};
use crate::meetings::events::QuestionDecision;
use crate::values::ContentHash;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MeetingStatus {
    #[default]
    None,
    Scheduled,
    Held,
    ProtocolDrafted,
    ProtocolSigned,
}

impl MeetingStatus {
    pub fn in_russian(self) -> &'static str {
        match self {
            MeetingStatus::None => "не запланировано",
            MeetingStatus::Scheduled => "запланировано",
            MeetingStatus::Held => "проведено, протокол не оформлен",
            MeetingStatus::ProtocolDrafted => "протокол оформлен, не подписан",
            MeetingStatus::ProtocolSigned => "протокол подписан",
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct MeetingState {
    pub id: Option<MeetingId>,
    pub association: Option<AssociationId>,
    pub status: MeetingStatus,
    pub date: Option<NaiveDate>,
    pub school_year: Option<SchoolYear>,
    pub attendance: Vec<PersonId>,
    pub questions: Vec<QuestionDecision>,
    pub protocol_number: Option<String>,
    pub protocol_hash: Option<ContentHash>,
    /// Hashes of corrections, in order.
    pub corrections: Vec<ContentHash>,
}

impl MeetingState {
    pub fn exists(&self) -> bool {
        self.id.is_some()
    }

    pub fn is_held(&self) -> bool {
        matches!(
            self.status,
            MeetingStatus::Held | MeetingStatus::ProtocolDrafted | MeetingStatus::ProtocolSigned
        )
    }
}

impl Aggregate for MeetingState {
    fn evolve(&mut self, fact: &Fact) {
        match &fact.event {
            Event::MeetingScheduled(e) => {
                self.id = Some(e.meeting);
                self.association = Some(e.association);
                self.date = Some(e.date);
                self.status = MeetingStatus::Scheduled;
            }
            Event::MeetingHeld(e) => {
                self.id = Some(e.meeting);
                self.association = Some(e.association);
                self.date = Some(e.date);
                self.school_year = Some(e.school_year);
                self.attendance = e.attendance.clone();
                self.questions = e.questions.clone();
                self.status = MeetingStatus::Held;
            }
            Event::ProtocolDrafted(e) => {
                self.protocol_number = Some(e.number.clone());
                self.protocol_hash = Some(e.content_hash.clone());
                self.status = MeetingStatus::ProtocolDrafted;
            }
            Event::ProtocolSigned(_) => self.status = MeetingStatus::ProtocolSigned,
            Event::ProtocolCorrected(e) => self.corrections.push(e.content_hash.clone()),
            _ => {}
        }
    }
}
