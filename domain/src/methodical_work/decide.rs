//! Decisions of the municipal methodical work (004 §8–§10), where the profile provides them:
//! a teacher's individual programme recorded by the administration of their organization
//! and coordinated by the methodical service; a monitoring of the effectiveness of methodical
//! work under the municipal road map.

use crate::calendar::SchoolYear;
use crate::commands::Command;
use crate::decider::{exists, misrouted, not_found, ActedAs, Acting, BasisKindRef, BasisRef};
use crate::decider::{Decider, Ruling};
use crate::error::DomainError;
use crate::ids::{MunicipalityId, OrderId, PersonId};
use crate::profile::{MonitoringRule, ProgrammeRules};
use crate::values::{required_text, BodyKind, Level, PositionKind};

use super::commands::*;
use super::events::*;

pub(crate) fn decide(d: &mut Decider, command: &Command) -> Result<Ruling, DomainError> {
    match command {
        Command::RecordIndividualProgramme(RecordIndividualProgramme {
            person,
            school_year,
            title,
        }) => d.record_programme(*person, *school_year, title),
        Command::CoordinateIndividualProgramme(CoordinateIndividualProgramme {
            person,
            school_year,
            note,
        }) => d.coordinate_programme(*person, *school_year, note.as_deref()),
        Command::RecordEffectivenessMonitoring(RecordEffectivenessMonitoring {
            municipality,
            school_year,
            road_map_order,
            findings,
        }) => d.record_monitoring(*municipality, *school_year, *road_map_order, findings),
        other => Err(misrouted(other)),
    }
}

impl<'a> Decider<'a> {
    fn programme_rules(&self) -> Result<&'a ProgrammeRules, DomainError> {
        let profile = self.profile();
        profile
            .programmes
            .as_ref()
            .ok_or_else(|| DomainError::ProgrammesNotProvided {
                profile: profile.name.clone(),
                clause: profile.documentation_clause(Level::City),
            })
    }

    /// 004 §8 (heads of organizations «способствуют реализации индивидуальных программ»),
    /// §9 2) (organizations help draw up «индивидуального плана профессионального
    /// развития»): the programme is the teacher's, of the organization they work at on the
    /// day, recorded by its director or a deputy head (or the operator from paper); one per
    /// teacher and school year.
    fn record_programme(
        &mut self,
        person: PersonId,
        school_year: SchoolYear,
        title: &str,
    ) -> Result<Ruling, DomainError> {
        let rules = self.programme_rules()?;
        let world = self.ctx.world;
        let teacher = world
            .person(person)
            .ok_or_else(|| not_found("лицо", person))?;
        let (organization, _) = teacher
            .position_on(self.date())
            .ok_or_else(|| not_found("место работы педагога на дату", person))?;
        if teacher
            .programmes
            .iter()
            .any(|p| p.school_year == school_year)
        {
            return Err(exists(
                "индивидуальная программа педагога",
                format!("{person}, {school_year}"),
            ));
        }
        let acted_as = match self.ctx.acting {
            Acting::Operator => ActedAs::Operator,
            Acting::Person(p) => {
                let administration = world
                    .person(p)
                    .and_then(|s| s.position_on(self.date()))
                    .filter(|(o, kind)| {
                        *o == organization
                            && matches!(kind, PositionKind::Director | PositionKind::DeputyHead)
                    });
                let Some((_, position)) = administration else {
                    return Err(DomainError::ProgrammeRecorderNotAuthorized {
                        clause: rules.clause.clone(),
                    });
                };
                ActedAs::Administration(position)
            }
        };
        Ok(Ruling::new(
            acted_as,
            vec![IndividualProgrammeRecorded {
                person,
                organization,
                school_year,
                title: required_text("название программы", title, 500)?,
            }
            .into()],
        ))
    }

    /// 004 §8 (the municipal methodical service «координируют реализацию индивидуальных
    /// программ»), §9 1): an official of the body the profile names (or the operator) records
    /// the coordination of a recorded programme, once, no earlier than it was recorded.
    fn coordinate_programme(
        &mut self,
        person: PersonId,
        school_year: SchoolYear,
        note: Option<&str>,
    ) -> Result<Ruling, DomainError> {
        let rules = self.programme_rules()?;
        let teacher = self
            .ctx
            .world
            .person(person)
            .ok_or_else(|| not_found("лицо", person))?;
        let programme = teacher
            .programmes
            .iter()
            .find(|p| p.school_year == school_year)
            .ok_or_else(|| DomainError::ProgrammeNotRecorded {
                person: person.to_string(),
                school_year: school_year.to_string(),
                clause: rules.coordination_clause.clone(),
            })?;
        let acted_as = self.operator_or_official(
            &[rules.coordinated_by],
            "координация индивидуальной программы педагога",
        )?;
        if programme.coordinated_on.is_some() {
            return Err(exists(
                "координация индивидуальной программы",
                format!("{person}, {school_year}"),
            ));
        }
        if self.date() < programme.recorded_on {
            return Err(DomainError::DateTooEarly {
                what: "программа согласуется не раньше, чем записана",
                date: self.date(),
                earliest: programme.recorded_on,
            });
        }
        Ok(Ruling::new(
            acted_as,
            vec![IndividualProgrammeCoordinated {
                person,
                school_year,
                note: note
                    .map(str::trim)
                    .filter(|n| !n.is_empty())
                    .map(|n| required_text("примечание", n, 1000))
                    .transpose()?,
            }
            .into()],
        ))
    }

    fn monitoring_rule(&self) -> Result<&'a MonitoringRule, DomainError> {
        let profile = self.profile();
        profile
            .monitoring
            .as_ref()
            .ok_or_else(|| DomainError::MonitoringNotProvided {
                profile: profile.name.clone(),
                clause: profile.indicators_clause(),
            })
    }

    /// 004 §10: «осуществляется мониторинг эффективности методической работы в соответствии
    /// с дорожной картой по развитию муниципальной системы оценки качества образования».
    /// The road map is cited by the order that approved it (of this municipality, dated no
    /// later than the record); an official of a body the profile names (or the operator)
    /// records it, no earlier than its school year begins, with its findings. The seed sets no
    /// deadline and no indicators, so none is checked.
    fn record_monitoring(
        &mut self,
        municipality: MunicipalityId,
        school_year: SchoolYear,
        road_map_order: OrderId,
        findings: &str,
    ) -> Result<Ruling, DomainError> {
        let rule = self.monitoring_rule()?;
        let registry = self.registry(municipality)?;
        let order = self
            .ctx
            .world
            .order(road_map_order)
            .ok_or_else(|| not_found("приказ", road_map_order))?;
        if order.municipality != registry.id {
            return Err(DomainError::OrderOfAnotherMunicipality {
                number: order.number.clone(),
            });
        }
        let order_date = order.date.unwrap_or(self.date());
        if order_date > self.date() {
            return Err(DomainError::OrderAfterEffectiveDate {
                number: order.number.clone(),
                order_date,
                effective: self.date(),
            });
        }
        if self.date() < school_year.first_day() {
            return Err(DomainError::DateTooEarly {
                what: "мониторинг учебного года записывается не раньше, чем год начался",
                date: self.date(),
                earliest: school_year.first_day(),
            });
        }
        let acted_as = self.operator_or_official(
            &rule.carried_out_by,
            "мониторинг эффективности методической работы",
        )?;
        let issuer = order
            .issuer
            .and_then(|b| registry.bodies.get(&b))
            .map(|b| b.title.clone())
            .unwrap_or_else(|| {
                order
                    .issuer_kind
                    .unwrap_or(BodyKind::Department)
                    .in_russian()
                    .to_string()
            });
        self.basis = Some(BasisRef {
            kind: BasisKindRef::Order,
            number: order.number.clone(),
            date: order_date,
            issuer,
        });
        Ok(Ruling::new(
            acted_as,
            vec![EffectivenessMonitoringRecorded {
                municipality,
                school_year,
                road_map_order,
                road_map_number: order.number.clone(),
                road_map_date: order_date,
                findings: required_text("выводы мониторинга", findings, 5000)?,
            }
            .into()],
        ))
    }
}
