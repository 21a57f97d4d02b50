//! The effectiveness indicators (001 §4.1.1–4.1.3) of the school year of the date. The steps:
//! collect the milestones the members reached, count each indicator per association, sum the
//! counts per district and for the municipality, and render a row for each.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use serde_json::{json, Map, Value};

use domain::calendar::SchoolYear;
use domain::ids::{AssociationId, PersonId};
use domain::profile::{IndicatorMeasure, IndicatorRule};
use domain::values::{DevelopmentMilestone, DocumentType};
use store::MetodStore;

use crate::error::ProjectionError;
use crate::facts::DocumentPhase;
use crate::snapshot::{Needs, Snapshot};

use super::{columns, report, row, QueryKind, Question, Report, RuleApplied};

/// One indicator's count for one association, or summed over several.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Count {
    pub numerator: u64,
    pub denominator: u64,
}

pub(crate) fn indicator_value(measure: IndicatorMeasure, count: Count) -> Value {
    if count.denominator == 0 {
        return Value::Null;
    }
    let ratio = count.numerator as f64 / count.denominator as f64;
    match measure {
        // A share in percent, to a tenth.
        IndicatorMeasure::Share => json!((ratio * 1000.0).round() / 10.0),
        IndicatorMeasure::Ratio => json!((ratio * 10.0).round() / 10.0),
        IndicatorMeasure::Presence => json!(count.numerator > 0),
    }
}

/// The effectiveness indicators of the profile (001 §4.1.1–4.1.3) for the school year of
/// the date, per association, per district and (where there are districts) for the whole
/// municipality, with numerator and denominator. Shares count the association's members on
/// the date: who passed diagnostics, completed a federal-register programme, has a route
/// (ИОМ) developed, got the regional methodist status (this year or before) — over all
/// members; who completed the route — over those with a route developed; the young teachers
/// supported — over the members in their first three years of work (their age is sealed
/// personal data the read models do not open). Teachers per regional methodist is members
/// over methodists; the road map is present when the year's work plan is approved.
pub async fn indicators(
    store: &dyn MetodStore,
    question: &Question<'_>,
) -> Result<Report, ProjectionError> {
    let profile = question.profile;
    let snapshot = load(store, question).await?;
    let milestones = Milestones::collect(&snapshot, question.at.as_of);
    let (mut rows, by_district) = association_rows(question, &milestones);
    rows.extend(district_rows(question, milestones.year, by_district));
    let rules = profile
        .indicators
        .iter()
        .map(|i| RuleApplied {
            clause: i.clause.to_string(),
            rule: i.title.clone(),
        })
        .collect();
    Ok(report(
        QueryKind::Indicators,
        "Показатели эффективности объединений",
        question,
        rules,
        columns(&[
            ("scope", "Уровень"),
            ("name", "Объединение / район"),
            ("school_year", "Учебный год"),
            ("indicator", "Показатель"),
            ("numerator", "Числитель"),
            ("denominator", "Знаменатель"),
            ("value", "Значение"),
            ("clause", "Пункт"),
        ]),
        rows,
    ))
}

/// The snapshot the indicators count from: the registry, and where the profile has
/// indicators the members and the documents.
async fn load(
    store: &dyn MetodStore,
    question: &Question<'_>,
) -> Result<Snapshot, ProjectionError> {
    let profile = question.profile;
    let needs = Needs {
        registry: true,
        memberships: !profile.indicators.is_empty(),
        documents: !profile.indicators.is_empty(),
        ..Needs::default()
    };
    let mut snapshot = Snapshot::load(store, question.at, needs).await?;
    // Only the young teachers' share needs the members' own facts.
    if profile
        .indicators
        .iter()
        .any(|i| i.code == DevelopmentMilestone::YoungTeacherSupported.indicator_code())
    {
        let all_members: Vec<PersonId> = snapshot.members.values().flatten().copied().collect();
        snapshot.load_persons(store, &all_members).await?;
    }
    Ok(snapshot)
}

/// What the year's counts are taken from: the snapshot on the date, and for each member of
/// an association each milestone reached there up to the school year of the date, with the
/// latest school year it was recorded in.
struct Milestones<'s> {
    snapshot: &'s Snapshot,
    year: SchoolYear,
    /// Who began to work in their specialty after this day is a young teacher.
    young_since: NaiveDate,
    recorded: HashMap<(AssociationId, PersonId, DevelopmentMilestone), SchoolYear>,
}

impl<'s> Milestones<'s> {
    fn collect(snapshot: &'s Snapshot, date: NaiveDate) -> Self {
        let year = SchoolYear::containing(date);
        let young_since = date
            .checked_sub_months(chrono::Months::new(36))
            .unwrap_or(date);
        let mut recorded: HashMap<(AssociationId, PersonId, DevelopmentMilestone), SchoolYear> =
            HashMap::new();
        for development in &snapshot.developments {
            if development.school_year <= year {
                let key = (
                    development.association,
                    development.person,
                    development.milestone,
                );
                let entry = recorded.entry(key).or_insert(development.school_year);
                *entry = (*entry).max(development.school_year);
            }
        }
        Self {
            snapshot,
            year,
            young_since,
            recorded,
        }
    }

    /// Whether `person` reached `milestone` in `association` by the year (or in it, if
    /// `this_year_only`).
    fn has(
        &self,
        association: AssociationId,
        person: PersonId,
        milestone: DevelopmentMilestone,
        this_year_only: bool,
    ) -> bool {
        self.recorded
            .get(&(association, person, milestone))
            .is_some_and(|y| !this_year_only || *y == self.year)
    }

    /// The count of the indicator `code` for one association.
    fn count(&self, association: AssociationId, code: &str) -> Count {
        let members = self
            .snapshot
            .members
            .get(&association)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let total = members.len() as u64;
        let with = |milestone, this_year_only| {
            members
                .iter()
                .filter(|p| self.has(association, **p, milestone, this_year_only))
                .count() as u64
        };
        match code {
            "diagnostics_share" => Count {
                numerator: with(DevelopmentMilestone::Diagnostics, true),
                denominator: total,
            },
            "federal_register_training_share" => Count {
                numerator: with(DevelopmentMilestone::FederalRegisterTraining, true),
                denominator: total,
            },
            "individual_route_share" => Count {
                numerator: with(DevelopmentMilestone::IndividualRouteDeveloped, false),
                denominator: total,
            },
            "regional_methodist_share" => Count {
                numerator: with(DevelopmentMilestone::RegionalMethodist, false),
                denominator: total,
            },
            "teachers_per_regional_methodist" => Count {
                numerator: total,
                denominator: with(DevelopmentMilestone::RegionalMethodist, false),
            },
            "individual_route_completed_share" => Count {
                numerator: with(DevelopmentMilestone::IndividualRouteCompleted, false),
                denominator: with(DevelopmentMilestone::IndividualRouteDeveloped, false),
            },
            "young_teachers_supported_share" => self.young_teachers_supported(association, members),
            "road_map_implemented" => self.road_map(association),
            _ => Count::default(),
        }
    }

    /// The young teachers among `members` supported this year, over the young teachers.
    fn young_teachers_supported(&self, association: AssociationId, members: &[PersonId]) -> Count {
        let young: Vec<&PersonId> = members
            .iter()
            .filter(|p| {
                self.snapshot
                    .persons
                    .get(p)
                    .is_some_and(|(_, f)| f.specialty_since > self.young_since)
            })
            .collect();
        Count {
            numerator: young
                .iter()
                .filter(|p| {
                    self.has(
                        association,
                        ***p,
                        DevelopmentMilestone::YoungTeacherSupported,
                        true,
                    )
                })
                .count() as u64,
            denominator: young.len() as u64,
        }
    }

    /// One if the association's work plan of the year is approved (or recorded), else zero.
    fn road_map(&self, association: AssociationId) -> Count {
        Count {
            numerator: self
                .snapshot
                .documents
                .iter()
                .filter(|d| {
                    d.association == association
                        && d.school_year == self.year
                        && d.document_type == DocumentType::WorkPlan
                        && matches!(d.phase, DocumentPhase::Approved | DocumentPhase::Recorded)
                })
                .count()
                .min(1) as u64,
            denominator: 1,
        }
    }
}

/// Counts summed by district title (empty for the associations outside any district) and
/// the indicator's place in the profile.
type ByDistrict = BTreeMap<(String, usize), Count>;

/// A row for each association asked about and each indicator, and the counts summed by
/// district.
fn association_rows(
    question: &Question<'_>,
    milestones: &Milestones<'_>,
) -> (Vec<Map<String, Value>>, ByDistrict) {
    let snapshot = milestones.snapshot;
    let mut rows = Vec::new();
    let mut by_district = ByDistrict::new();
    for association in question.associations(snapshot) {
        let district = snapshot.district_title(snapshot.district_of(association));
        for (index, indicator) in question.profile.indicators.iter().enumerate() {
            let count = milestones.count(association.association, &indicator.code);
            let total = by_district.entry((district.clone(), index)).or_default();
            total.numerator += count.numerator;
            total.denominator += count.denominator;
            rows.push(indicator_row(
                "объединение",
                json!(association.association),
                &association.title,
                &district,
                milestones.year,
                indicator,
                count,
            ));
        }
    }
    (rows, by_district)
}

/// A row for each district and indicator, then (where there are districts and the answer is
/// not narrowed to one) for the municipality.
fn district_rows(
    question: &Question<'_>,
    year: SchoolYear,
    by_district: ByDistrict,
) -> Vec<Map<String, Value>> {
    let profile = question.profile;
    let mut rows = Vec::new();
    // Without districts the one group of associations is the whole municipality; with them,
    // the associations outside any district (the city's) are a group of their own and the
    // municipality's figures follow the districts'.
    let has_districts = by_district.keys().any(|(district, _)| !district.is_empty());
    let mut municipality = vec![Count::default(); profile.indicators.len()];
    for ((district, index), count) in by_district {
        let indicator = &profile.indicators[index];
        municipality[index].numerator += count.numerator;
        municipality[index].denominator += count.denominator;
        let name = match (district.is_empty(), has_districts) {
            (false, _) => district.clone(),
            (true, false) => "муниципалитет в целом".to_string(),
            (true, true) => "объединения вне районов".to_string(),
        };
        rows.push(indicator_row(
            "район",
            Value::Null,
            &name,
            &district,
            year,
            indicator,
            count,
        ));
    }
    // A district's answer is not the municipality's.
    if has_districts && question.filters.district.is_none() {
        for (indicator, count) in profile.indicators.iter().zip(municipality) {
            rows.push(indicator_row(
                "муниципалитет",
                Value::Null,
                "муниципалитет в целом",
                "",
                year,
                indicator,
                count,
            ));
        }
    }
    rows
}

/// One indicator's row for an association, a district or the municipality (`scope`), with
/// the association's id if it is one.
fn indicator_row(
    scope: &str,
    association: Value,
    name: &str,
    district: &str,
    year: SchoolYear,
    indicator: &IndicatorRule,
    count: Count,
) -> Map<String, Value> {
    row(vec![
        ("scope", json!(scope)),
        ("association", association),
        ("name", json!(name)),
        ("district", json!(district)),
        ("school_year", json!(year.to_string())),
        ("indicator", json!(indicator.code)),
        ("numerator", json!(count.numerator)),
        ("denominator", json!(count.denominator)),
        ("value", indicator_value(indicator.measure, count)),
        ("clause", json!(indicator.clause.to_string())),
    ])
}
