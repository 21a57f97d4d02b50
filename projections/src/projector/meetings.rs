//! Meetings projected: scheduled, held, and their protocols drafted, signed and corrected.

use domain::events::{
    MeetingHeld, MeetingScheduled, ProtocolCorrected, ProtocolDrafted, ProtocolSigned,
};

use crate::facts::{kind, FactBody, MeetingFact, MeetingPhase};

use super::{Moment, Projector};

impl Projector {
    pub(super) fn meeting_scheduled(
        &mut self,
        e: &MeetingScheduled,
        at: Moment,
    ) -> Result<(), String> {
        let on = at.effective;
        self.start(
            at,
            e.meeting.to_string(),
            e.association.to_string(),
            on,
            None,
            FactBody::Meeting(MeetingFact {
                meeting: e.meeting,
                association: e.association,
                date: e.date,
                school_year: None,
                phase: MeetingPhase::Scheduled,
                attendance: 0,
                protocol_number: None,
                corrections: 0,
            }),
        )
    }

    pub(super) fn meeting_held(&mut self, e: &MeetingHeld, at: Moment) -> Result<(), String> {
        let on = at.effective;
        let key = e.meeting.to_string();
        let held = MeetingFact {
            meeting: e.meeting,
            association: e.association,
            date: e.date,
            school_year: Some(e.school_year),
            phase: MeetingPhase::Held,
            attendance: e.attendance.len() as u32,
            protocol_number: None,
            corrections: 0,
        };
        if self.segments(&(kind::MEETING, key.clone())).is_some() {
            self.change(at, kind::MEETING, &key, on, |body| {
                if let FactBody::Meeting(m) = body {
                    *m = held.clone();
                }
            })
        } else {
            self.start(
                at,
                key,
                e.association.to_string(),
                on,
                None,
                FactBody::Meeting(held),
            )
        }
    }

    pub(super) fn protocol_drafted(
        &mut self,
        e: &ProtocolDrafted,
        at: Moment,
    ) -> Result<(), String> {
        let on = at.effective;
        self.change(at, kind::MEETING, &e.meeting.to_string(), on, |body| {
            if let FactBody::Meeting(m) = body {
                m.phase = MeetingPhase::ProtocolDrafted;
                m.protocol_number = Some(e.number.clone());
            }
        })
    }

    pub(super) fn protocol_signed(&mut self, e: &ProtocolSigned, at: Moment) -> Result<(), String> {
        let on = at.effective;
        self.change(at, kind::MEETING, &e.meeting.to_string(), on, |body| {
            if let FactBody::Meeting(m) = body {
                m.phase = MeetingPhase::ProtocolSigned;
            }
        })
    }

    pub(super) fn protocol_corrected(
        &mut self,
        e: &ProtocolCorrected,
        at: Moment,
    ) -> Result<(), String> {
        let on = at.effective;
        self.change(at, kind::MEETING, &e.meeting.to_string(), on, |body| {
            if let FactBody::Meeting(m) = body {
                m.corrections += 1;
            }
        })
    }
}
