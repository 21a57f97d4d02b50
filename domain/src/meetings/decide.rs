//! Meetings' decisions: a meeting scheduled by the head or secretary and recorded as held with
//! its attendance and a decision on every question (000 §4.4; 002 §5.10). The protocol is
//! decided in `protocols.rs`.

use chrono::NaiveDate;

use crate::calendar::SchoolYear;
use crate::commands::Command;
use crate::decider::{exists, misrouted, not_found, ActedAs, Acting, Decider, Ruling};
use crate::error::DomainError;
use crate::ids::{AssociationId, MeetingId, PersonId};
use crate::profile::FillMethod;
use crate::values::{required_text, AssociationRole, Level};

use super::commands::*;
use super::events::*;
use super::state::{MeetingState, MeetingStatus};
use crate::associations::state::AssociationState;
use crate::membership::events::Member;

pub(crate) fn decide(d: &mut Decider, command: &Command) -> Result<Ruling, DomainError> {
    match command {
        Command::ScheduleMeeting(ScheduleMeeting {
            meeting,
            association,
            date,
            agenda,
        }) => d.schedule_meeting(*meeting, *association, *date, agenda),
        Command::HoldMeeting(HoldMeeting {
            meeting,
            association,
            attendance,
            questions,
            recommendations,
        }) => d.hold_meeting(
            *meeting,
            *association,
            attendance,
            questions,
            recommendations,
        ),
        Command::DraftProtocol(DraftProtocol {
            meeting,
            number,
            content_hash,
        }) => d.draft_protocol(*meeting, number, content_hash),
        Command::SignProtocol(SignProtocol { meeting }) => d.sign_protocol(*meeting),
        Command::CorrectProtocol(CorrectProtocol {
            meeting,
            content_hash,
            reason,
        }) => d.correct_protocol(*meeting, content_hash, reason),
        other => Err(misrouted(other)),
    }
}

impl<'a> Decider<'a> {
    fn schedule_meeting(
        &mut self,
        meeting: MeetingId,
        association: AssociationId,
        date: NaiveDate,
        agenda: &[String],
    ) -> Result<Ruling, DomainError> {
        let world = self.ctx.world;
        let on = self.date();
        if world.meetings.get(&meeting).is_some_and(|m| m.exists()) {
            return Err(exists("заседание", meeting));
        }
        let state = self.live_association(association)?;
        let (_, acted_as) = self.role_holder(
            state,
            &[AssociationRole::Head, AssociationRole::Secretary],
            "планирование заседания",
        )?;
        if date < on {
            return Err(DomainError::DateTooEarly {
                what: "дата заседания",
                date,
                earliest: on,
            });
        }
        let agenda = agenda
            .iter()
            .map(|q| required_text("вопрос повестки", q, 2000))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Ruling::new(
            acted_as,
            vec![MeetingScheduled {
                meeting,
                association,
                date,
                agenda,
            }
            .into()],
        ))
    }

    fn hold_meeting(
        &mut self,
        meeting: crate::ids::MeetingId,
        association: AssociationId,
        attendance: &[PersonId],
        questions: &[QuestionDecision],
        recommendations: &[String],
    ) -> Result<Ruling, DomainError> {
        let world = self.ctx.world;
        let on = self.date();
        if let Some(existing) = world.meeting(meeting) {
            if existing.status != MeetingStatus::Scheduled {
                return Err(DomainError::MeetingState {
                    state: existing.status.in_russian(),
                    action: "проведение заседания",
                });
            }
            if existing.association != Some(association) {
                return Err(DomainError::InvalidStructure {
                    reason: "заседание запланировано другим объединением".into(),
                });
            }
        }
        let state = self.live_association(association)?;
        let head_or_secretary = [AssociationRole::Head, AssociationRole::Secretary]
            .iter()
            .any(|role| state.holder(*role, on).is_some());
        // Only where the members elect their head can a meeting be held before anyone holds
        // office (003 §7.4); where an order appoints the head, a meeting waits for one.
        let heads_elected = self
            .profile()
            .role_rule(AssociationRole::Head, state.level.unwrap_or(Level::City))
            .is_some_and(|r| r.method == FillMethod::Election);
        let acted_as = match self.ctx.acting {
            // The first meeting of a new association, before anyone is elected (003 §7.4):
            // a member present records it.
            Acting::Person(p)
                if !head_or_secretary
                    && heads_elected
                    && attendance.contains(&p)
                    && self.is_member(state, Member::Person(p), on) =>
            {
                ActedAs::Member
            }
            _ => {
                self.role_holder(
                    state,
                    &[
                        AssociationRole::Head,
                        AssociationRole::Secretary,
                        AssociationRole::Curator,
                    ],
                    "запись о проведённом заседании",
                )?
                .1
            }
        };
        if questions.is_empty() {
            return Err(DomainError::InvalidStructure {
                reason: "на заседании должен быть рассмотрен хотя бы один вопрос".into(),
            });
        }
        let rules = &self.profile().meetings;
        let mut checked = Vec::with_capacity(questions.len());
        for q in questions {
            let question = required_text("вопрос заседания", &q.question, 2000)?;
            if rules.every_question_decided && q.decision.trim().is_empty() {
                return Err(DomainError::QuestionWithoutDecision {
                    question,
                    clause: rules.decisions_clause.clone(),
                });
            }
            checked.push(QuestionDecision {
                question,
                decision: q.decision.trim().to_string(),
            });
        }
        let mut seen = std::collections::BTreeSet::new();
        for person in attendance {
            if !seen.insert(person) {
                return Err(DomainError::InvalidStructure {
                    reason: format!("{person} дважды указан(а) в списке присутствующих"),
                });
            }
        }
        let recommendations = recommendations
            .iter()
            .map(|r| required_text("рекомендация", r, 2000))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Ruling::new(
            acted_as,
            vec![MeetingHeld {
                meeting,
                association,
                date: on,
                school_year: SchoolYear::containing(on),
                attendance: attendance.to_vec(),
                questions: checked,
                recommendations,
            }
            .into()],
        ))
    }

    pub(crate) fn meeting_with_association(
        &self,
        meeting: crate::ids::MeetingId,
    ) -> Result<(&'a MeetingState, &'a AssociationState), DomainError> {
        let m = self
            .ctx
            .world
            .meeting(meeting)
            .ok_or_else(|| not_found("заседание", meeting))?;
        let association = m
            .association
            .ok_or_else(|| not_found("объединение", "заседания"))?;
        Ok((m, self.live_association(association)?))
    }
}
