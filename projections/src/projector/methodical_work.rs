//! The municipal methodical work projected (004 §8–§10): a fact per teacher's programme of a
//! school year, changed when it is coordinated; a fact per monitoring.

use domain::events::{
    EffectivenessMonitoringRecorded, IndividualProgrammeCoordinated, IndividualProgrammeRecorded,
};

use crate::facts::{kind, FactBody, MonitoringFact, ProgrammeFact};

use super::{Moment, Projector};

fn programme_key(person: impl ToString, school_year: impl ToString) -> String {
    format!("{}:{}", person.to_string(), school_year.to_string())
}

impl Projector {
    pub(super) fn programme_recorded(
        &mut self,
        e: &IndividualProgrammeRecorded,
        at: Moment,
    ) -> Result<(), String> {
        let on = at.effective;
        self.start(
            at,
            programme_key(e.person, e.school_year),
            e.organization.to_string(),
            on,
            None,
            FactBody::Programme(ProgrammeFact {
                person: e.person,
                organization: e.organization,
                school_year: e.school_year,
                title: e.title.clone(),
                recorded_on: on,
                coordinated_on: None,
            }),
        )
    }

    pub(super) fn programme_coordinated(
        &mut self,
        e: &IndividualProgrammeCoordinated,
        at: Moment,
    ) -> Result<(), String> {
        let on = at.effective;
        self.change(
            at,
            kind::PROGRAMME,
            &programme_key(e.person, e.school_year),
            on,
            |body| {
                if let FactBody::Programme(p) = body {
                    p.coordinated_on = Some(on);
                }
            },
        )
    }

    pub(super) fn monitoring_recorded(
        &mut self,
        e: &EffectivenessMonitoringRecorded,
        at: Moment,
    ) -> Result<(), String> {
        let on = at.effective;
        self.start(
            at,
            format!("{}:{}", e.school_year, at.position),
            e.municipality.to_string(),
            on,
            None,
            FactBody::Monitoring(MonitoringFact {
                school_year: e.school_year,
                recorded_on: on,
                road_map_number: e.road_map_number.clone(),
                road_map_date: e.road_map_date,
                findings: e.findings.clone(),
            }),
        )
    }
}
