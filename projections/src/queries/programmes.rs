//! Teachers' individual programmes of continuous professional education (004 §8–§9) in the
//! school year of the date: for every teacher of every educational organization, and anyone
//! with a programme, whether a programme was recorded by their organization's administration,
//! and whether and when the municipal methodical service coordinated it. The seed sets no
//! deadline, so nothing is «late»: the answer is what is there and what is not.

use std::collections::HashMap;

use serde_json::json;

use domain::calendar::SchoolYear;
use domain::ids::PersonId;
use domain::values::{OrganizationKind, PositionKind};
use store::MetodStore;

use crate::error::ProjectionError;
use crate::facts::ProgrammeFact;
use crate::snapshot::{Needs, Snapshot};

use super::RuleApplied;
use super::{columns, district_named, report, row, Names, QueryKind, Question, Report};

/// Every teacher of the date's school year with their programme, if any, by organization.
pub async fn programmes(
    store: &dyn MetodStore,
    question: &Question<'_>,
) -> Result<Report, ProjectionError> {
    let profile = question.profile;
    let year = SchoolYear::containing(question.at.as_of);
    let mut rules = Vec::new();
    let mut rows = Vec::new();
    let mut names = None;
    if let Some(rule) = &profile.programmes {
        rules = vec![
            RuleApplied {
                clause: rule.clause.to_string(),
                rule: "индивидуальную программу профессионального развития педагога записывает администрация его организации".into(),
            },
            RuleApplied {
                clause: rule.coordination_clause.to_string(),
                rule: format!(
                    "реализацию индивидуальных программ координирует {}",
                    rule.coordinated_by.in_russian()
                ),
            },
        ];
        let needs = Needs {
            registry: true,
            methodical_work: true,
            ..Needs::default()
        };
        let mut snapshot = Snapshot::load(store, question.at, needs).await?;
        snapshot.load_all_persons(store).await?;
        let of_year: HashMap<PersonId, &ProgrammeFact> = snapshot
            .programmes
            .iter()
            .filter(|p| p.school_year == year)
            .map(|p| (p.person, p))
            .collect();
        let educational = |kind: OrganizationKind| kind != OrganizationKind::MunicipalInstitution;
        // (organization, person, programme): the teachers where they work on the date, and
        // anyone with a programme under the organization that recorded it.
        let mut listed: Vec<(domain::ids::OrganizationId, PersonId)> = snapshot
            .persons
            .values()
            .filter(|(_, p)| p.position_kind == PositionKind::Teacher)
            .filter(|(_, p)| {
                snapshot
                    .organizations
                    .get(&p.organization)
                    .is_some_and(|o| educational(o.kind))
            })
            .filter(|(_, p)| !of_year.contains_key(&p.person))
            .map(|(_, p)| (p.organization, p.person))
            .collect();
        listed.extend(of_year.values().map(|p| (p.organization, p.person)));
        let in_district = |organization: &domain::ids::OrganizationId| {
            question.filters.district.as_ref().is_none_or(|wanted| {
                snapshot
                    .organizations
                    .get(organization)
                    .and_then(|o| o.district)
                    .is_some_and(|d| district_named(&snapshot, d, wanted))
            })
        };
        listed.retain(|(organization, _)| in_district(organization));
        let opened = Names::load(store, &snapshot, listed.iter().map(|(_, p)| *p)).await?;
        let title_of = |organization| {
            snapshot
                .organizations
                .get(&organization)
                .map(|o| o.title.clone())
                .unwrap_or_else(|| organization.to_string())
        };
        listed.sort_by_cached_key(|(organization, person)| {
            (
                title_of(*organization),
                opened.name_of(*person).unwrap_or_default(),
                *person,
            )
        });
        for (organization, person) in listed {
            let programme = of_year.get(&person);
            let status = match programme {
                None => "нет программы",
                Some(p) if p.coordinated_on.is_some() => "согласована",
                Some(_) => "не согласована",
            };
            rows.push(row(vec![
                ("organization", json!(title_of(organization))),
                ("person", opened.of(Some(person))),
                ("school_year", json!(year.to_string())),
                ("title", json!(programme.map(|p| p.title.clone()))),
                ("recorded_on", json!(programme.map(|p| p.recorded_on))),
                ("status", json!(status)),
                (
                    "coordinated_on",
                    json!(programme.and_then(|p| p.coordinated_on)),
                ),
                ("clause", json!(rule.coordination_clause.to_string())),
            ]));
        }
        names = Some(opened);
    }
    let answer = report(
        QueryKind::Programmes,
        "Индивидуальные программы профессионального развития педагогов",
        question,
        rules,
        columns(&[
            ("organization", "Организация"),
            ("person", "Педагог"),
            ("school_year", "Учебный год"),
            ("title", "Программа"),
            ("recorded_on", "Записана"),
            ("status", "Состояние"),
            ("coordinated_on", "Согласована"),
            ("clause", "Пункт"),
        ]),
        rows,
    );
    Ok(match &names {
        Some(names) => answer.opened_by(names),
        None => answer,
    })
}
