//! A membership application's state: its applicant, period and where it stands.

use chrono::NaiveDate;

use crate::aggregate::Aggregate;
use crate::calendar::SchoolYear;
use crate::events::{Event, Fact};
use crate::ids::{ApplicationId, AssociationId};
use crate::membership::events::Member;
use crate::profile::ApplicationForm;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ApplicationStatus {
    #[default]
    None,
    Submitted,
    Approved,
    Rejected,
    /// Back with the applicant for rework.
    Returned,
}

impl ApplicationStatus {
    pub fn in_russian(self) -> &'static str {
        match self {
            ApplicationStatus::None => "не подана",
            ApplicationStatus::Submitted => "подана",
            ApplicationStatus::Approved => "одобрена",
            ApplicationStatus::Rejected => "отклонена",
            ApplicationStatus::Returned => "возвращена на доработку",
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ApplicationState {
    pub id: Option<ApplicationId>,
    pub association: Option<AssociationId>,
    pub form: Option<ApplicationForm>,
    pub applicant: Option<Member>,
    pub school_year: Option<SchoolYear>,
    pub period_from: Option<NaiveDate>,
    pub period_to: Option<NaiveDate>,
    pub status: ApplicationStatus,
    /// The day it was last submitted (a resubmission after a return counts anew).
    pub submitted_on: Option<NaiveDate>,
}

impl ApplicationState {
    pub fn exists(&self) -> bool {
        self.id.is_some()
    }
}

impl Aggregate for ApplicationState {
    fn evolve(&mut self, fact: &Fact) {
        match &fact.event {
            Event::MembershipApplicationSubmitted(e) => {
                self.id = Some(e.application);
                self.association = Some(e.association);
                self.form = Some(e.form);
                self.applicant = Some(e.applicant);
                self.school_year = Some(e.school_year);
                self.period_from = Some(e.period_from);
                self.period_to = Some(e.period_to);
                self.status = ApplicationStatus::Submitted;
                self.submitted_on = Some(fact.effective);
            }
            Event::MembershipApplicationApproved(_) => self.status = ApplicationStatus::Approved,
            Event::MembershipApplicationRejected(_) => self.status = ApplicationStatus::Rejected,
            Event::MembershipApplicationReturned(_) => self.status = ApplicationStatus::Returned,
            _ => {}
        }
    }
}
