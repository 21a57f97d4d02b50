//! Who may be a head or a curator, checked on a date (002 §5.3; 003 §7.2–7.3): the same
//! check the commands run at appointment and the oversight queries run later.

use chrono::NaiveDate;

use crate::profile::EligibilityRule;
use crate::registry::state::PersonState;
use crate::values::OrganizationKind;

/// Why a person does not meet a rule on a date: the requirement, in Russian.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotEligible {
    pub requirement: String,
    pub found: String,
}

/// Checks `person` against `rule` on `date`; `organization_kind` is the kind of the
/// organization the person works at on that date.
pub fn check(
    rule: &EligibilityRule,
    person: &PersonState,
    organization_kind: Option<OrganizationKind>,
    date: NaiveDate,
) -> Result<(), NotEligible> {
    let position = person.position_on(date).map(|(_, kind)| kind);
    let organization_fits = rule.organization_kinds.is_empty()
        || organization_kind.is_some_and(|k| rule.organization_kinds.contains(&k));
    if !organization_fits {
        return Err(NotEligible {
            requirement: requirement_text(rule),
            found: format!("на {date}: работает не в учреждении требуемого вида"),
        });
    }
    if position.is_some_and(|p| rule.qualifying_positions.contains(&p)) {
        return Ok(());
    }
    let category = person.category_on(date).level;
    let years = person.years_in_specialty_on(date);
    let position_fits = rule.category_route_positions.is_empty()
        || position.is_some_and(|p| rule.category_route_positions.contains(&p));
    if position_fits && rule.categories.contains(&category) && years >= rule.min_years_in_specialty
    {
        return Ok(());
    }
    Err(NotEligible {
        requirement: requirement_text(rule),
        found: format!(
            "на {date}: категория — {}, стаж по специальности — {years} {}{}",
            category.in_russian(),
            years_word(years),
            position
                .map(|p| format!(", должность — {}", p.in_russian()))
                .unwrap_or_default()
        ),
    })
}

/// The rule in words, as the regulation puts it.
pub fn requirement_text(rule: &EligibilityRule) -> String {
    // Highest first, as the regulations word it («высшую или первую»), whatever the order
    // in the profile.
    let mut levels = rule.categories.clone();
    levels.sort_by(|a, b| b.cmp(a));
    levels.dedup();
    let categories: Vec<String> = levels.iter().map(|c| c.in_russian().to_string()).collect();
    let mut text = format!(
        "иметь {} квалификационную категорию и стаж работы по специальности не менее {} лет",
        match categories.as_slice() {
            [] => "какую-либо".to_string(),
            [one] => feminine_accusative(one),
            many => many
                .iter()
                .map(|c| feminine_accusative(c))
                .collect::<Vec<_>>()
                .join(" или "),
        },
        rule.min_years_in_specialty
    );
    if !rule.category_route_positions.is_empty() {
        text += &format!(
            " (для должностей: {})",
            rule.category_route_positions
                .iter()
                .map(|p| p.in_russian())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    if rule
        .organization_kinds
        .contains(&OrganizationKind::MunicipalInstitution)
    {
        text = format!("быть специалистом муниципального учреждения и {text}");
    }
    if !rule.qualifying_positions.is_empty() {
        text += &format!(
            ", либо занимать должность: {}",
            rule.qualifying_positions
                .iter()
                .map(|p| p.in_russian())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    text
}

fn feminine_accusative(category: &str) -> String {
    match category {
        "первая" => "первую".into(),
        "высшая" => "высшую".into(),
        other => other.into(),
    }
}

fn years_word(years: u32) -> &'static str {
    match (years % 10, years % 100) {
        (1, n) if n != 11 => "год",
        (2..=4, n) if !(12..=14).contains(&n) => "года",
        _ => "лет",
    }
}
