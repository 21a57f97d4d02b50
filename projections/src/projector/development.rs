//! Development records projected: one fact per person, milestone and school year.

use domain::events::DevelopmentRecorded;

use crate::facts::{DevelopmentFact, FactBody};

use super::{Moment, Projector};

impl Projector {
    pub(super) fn development_recorded(
        &mut self,
        e: &DevelopmentRecorded,
        at: Moment,
    ) -> Result<(), String> {
        let on = at.effective;
        self.start(
            at,
            format!(
                "{}:{}:{}:{}",
                e.association,
                e.person,
                e.milestone.indicator_code(),
                e.school_year
            ),
            e.association.to_string(),
            on,
            None,
            FactBody::Development(DevelopmentFact {
                association: e.association,
                person: e.person,
                school_year: e.school_year,
                milestone: e.milestone,
            }),
        )
    }
}
