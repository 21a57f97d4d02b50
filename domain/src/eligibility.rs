//! Who may be a head or a curator, checked on a date (002 §5.3; 003 §7.2–7.3; 004 §7): the
//! same check the commands run at appointment and the oversight queries run later.

use chrono::NaiveDate;

use crate::ids::OrganizationId;
use crate::profile::{EligibilityRule, WorkPlace};
use crate::registry::state::PersonState;
use crate::values::OrganizationKind;

/// Why a person does not meet a rule on a date: the requirement, in Russian.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotEligible {
    pub requirement: String,
    pub found: String,
}

/// Where the person works on the date, and where the rule's `works_at` sends them.
#[derive(Debug, Clone, Copy, Default)]
pub struct Workplace<'a> {
    /// The kind of the organization the person works at on the date.
    pub organization_kind: Option<OrganizationKind>,
    /// The organizations the rule's `works_at` admits, resolved by the caller (the
    /// association's own, the methodical center's): see [`required_organizations`].
    pub required: Option<&'a [OrganizationId]>,
}

/// The organizations `rule.works_at` admits: the association's own organization, or the
/// organizations of the municipality's methodical centers; None where the rule names no place.
pub fn required_organizations(
    rule: &EligibilityRule,
    own: Option<OrganizationId>,
    centers: impl IntoIterator<Item = OrganizationId>,
) -> Option<Vec<OrganizationId>> {
    rule.works_at.map(|place| match place {
        WorkPlace::OwnOrganization => own.into_iter().collect(),
        WorkPlace::MethodicalCenter => centers.into_iter().collect(),
    })
}

/// Checks `person` against `rule` on `date`.
pub fn check(
    rule: &EligibilityRule,
    person: &PersonState,
    workplace: Workplace<'_>,
    date: NaiveDate,
) -> Result<(), NotEligible> {
    let held = person.position_on(date);
    let position = held.map(|(_, kind)| kind);
    let organization_fits = rule.organization_kinds.is_empty()
        || workplace
            .organization_kind
            .is_some_and(|k| rule.organization_kinds.contains(&k));
    if !organization_fits {
        return Err(NotEligible {
            requirement: requirement_text(rule),
            found: format!("на {date}: работает не в учреждении требуемого вида"),
        });
    }
    if let (Some(place), Some(required)) = (rule.works_at, workplace.required) {
        if !held.is_some_and(|(organization, _)| required.contains(&organization)) {
            return Err(NotEligible {
                requirement: requirement_text(rule),
                found: format!(
                    "на {date}: работает не там — {}",
                    match place {
                        WorkPlace::OwnOrganization => "не в организации объединения",
                        WorkPlace::MethodicalCenter => "не в методическом центре",
                    }
                ),
            });
        }
    }
    if position.is_some_and(|p| rule.qualifying_positions.contains(&p)) {
        return Ok(());
    }
    // Where the rule has neither a category route nor qualifying positions, the workplace
    // alone decides (004 §7: the methodical center's department at the municipal level).
    if rule.categories.is_empty() && rule.qualifying_positions.is_empty() {
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
    let found = if rule.categories.is_empty() {
        format!(
            "на {date}: должность — {}",
            position.map(|p| p.in_russian()).unwrap_or("не указана")
        )
    } else {
        format!(
            "на {date}: категория — {}, стаж по специальности — {years} {}{}",
            category.in_russian(),
            years_word(years),
            position
                .map(|p| format!(", должность — {}", p.in_russian()))
                .unwrap_or_default()
        )
    };
    Err(NotEligible {
        requirement: requirement_text(rule),
        found,
    })
}

/// The rule in words, as the regulation puts it.
pub fn requirement_text(rule: &EligibilityRule) -> String {
    let mut text = if rule.categories.is_empty() {
        String::new()
    } else {
        category_text(rule)
    };
    if !rule.qualifying_positions.is_empty() {
        let positions = rule
            .qualifying_positions
            .iter()
            .map(|p| p.in_russian())
            .collect::<Vec<_>>()
            .join(", ");
        text = if text.is_empty() {
            format!("занимать должность: {positions}")
        } else {
            format!("{text}, либо занимать должность: {positions}")
        };
    }
    if let Some(place) = rule.works_at {
        let place = match place {
            WorkPlace::OwnOrganization => "в образовательной организации объединения",
            WorkPlace::MethodicalCenter => "в методическом центре (его учреждении)",
        };
        text = if text.is_empty() {
            format!("работать {place}")
        } else {
            format!("{text} — {place}")
        };
    }
    text
}

/// The category route in words, with the positions it is open to and the kind of
/// institution (003 §7.2).
fn category_text(rule: &EligibilityRule) -> String {
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
