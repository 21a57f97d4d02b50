//! Heads and curators who do not meet their profile's rule on the date.

use serde_json::json;

use domain::eligibility;
use domain::ids::{OrganizationId, PersonId};
use domain::state::PersonState;
use domain::values::{AssociationRole, BodyKind};
use store::MetodStore;

use crate::error::ProjectionError;
use crate::snapshot::{Needs, Snapshot};

use super::{columns, report, row, Names, QueryKind, Question, Report, RuleApplied};

/// Heads and curators who do not meet their profile's rule on the date.
pub async fn eligibility(
    store: &dyn MetodStore,
    question: &Question<'_>,
) -> Result<Report, ProjectionError> {
    let has_rule = QueryKind::Eligibility.profile_has_rule(question.profile);
    let needs = Needs {
        registry: has_rule,
        roles: has_rule,
        ..Needs::default()
    };
    let mut snapshot = Snapshot::load(store, question.at, needs).await?;
    let holders: Vec<PersonId> = snapshot.roles.values().map(|r| r.person).collect();
    if !holders.is_empty() {
        snapshot.load_persons(store, &holders).await?;
    }
    let profile = question.profile;
    let date = question.at.as_of;
    let mut failing = Vec::new();
    let centers: Vec<OrganizationId> = snapshot
        .bodies
        .values()
        .filter(|b| b.kind == BodyKind::MethodicalCenter)
        .filter_map(|b| b.organization)
        .collect();
    for association in question.associations(&snapshot) {
        for role in [AssociationRole::Head, AssociationRole::Curator] {
            let Some(rule) = profile.eligibility_rule(role, association.level) else {
                continue;
            };
            let Some(person) = snapshot.holder(association.association, role) else {
                continue;
            };
            let Some((since, fact)) = snapshot.persons.get(&person) else {
                continue;
            };
            // The position and the category with the days they count from, as the domain
            // keeps them (a category from the day it was granted).
            let state = PersonState {
                id: Some(person),
                municipality: Some(association.municipality),
                positions: vec![(fact.position_since, fact.organization, fact.position_kind)],
                categories: vec![(fact.category_since, fact.category)],
                specialty_since: Some(fact.specialty_since),
                subjects: Vec::new(),
                // A dismissed person's segment begins on or after the dismissal.
                dismissals: if fact.dismissed {
                    vec![*since]
                } else {
                    Vec::new()
                },
                programmes: Vec::new(),
            };
            let organization_kind = snapshot
                .organizations
                .get(&fact.organization)
                .map(|o| o.kind);
            let required = eligibility::required_organizations(
                rule,
                association.organization,
                centers.iter().copied(),
            );
            let workplace = eligibility::Workplace {
                organization_kind,
                required: required.as_deref(),
            };
            if let Err(not) = eligibility::check(rule, &state, workplace, date) {
                failing.push((association, role, person, not, rule.clause.to_string()));
            }
        }
    }
    let names = Names::load(store, &snapshot, failing.iter().map(|f| f.2)).await?;
    let rows = failing
        .into_iter()
        .map(|(association, role, person, not, clause)| {
            row(vec![
                ("association", json!(association.association)),
                ("title", json!(association.title)),
                ("role", json!(role.in_russian())),
                ("person", names.of(Some(person))),
                ("requirement", json!(not.requirement)),
                ("found", json!(not.found)),
                ("clause", json!(clause)),
            ])
        })
        .collect();
    let rules = profile
        .eligibility
        .iter()
        .map(|r| RuleApplied {
            clause: r.clause.to_string(),
            rule: if r.levels.is_empty() {
                format!(
                    "{}: {}",
                    r.role.in_russian(),
                    eligibility::requirement_text(r)
                )
            } else {
                format!(
                    "{} ({}): {}",
                    r.role.in_russian(),
                    r.levels
                        .iter()
                        .map(|l| l.in_russian())
                        .collect::<Vec<_>>()
                        .join(", "),
                    eligibility::requirement_text(r)
                )
            },
        })
        .collect();
    let answer = report(
        QueryKind::Eligibility,
        "Руководители и кураторы, не соответствующие требованиям",
        question,
        rules,
        columns(&[
            ("title", "Объединение"),
            ("role", "Роль"),
            ("person", "Кто"),
            ("requirement", "Требование"),
            ("found", "Фактически"),
            ("clause", "Пункт"),
        ]),
        rows,
    );
    Ok(answer.opened_by(&names))
}
