//! One association at a point of both time axes, as its page shows it: what it is, who
//! holds its roles (with their names, opened through the vault when asked), how many members
//! it has, and its meetings and documents of the school year.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use domain::calendar::SchoolYear;
use domain::ids::{AssociationId, DocumentId, MeetingId, PersonId};
use domain::profile::RegulationProfile;
use domain::values::AssociationRole;
use serde::Serialize;
use store::{MetodStore, TimePoint};

use crate::error::ProjectionError;
use crate::facts::{kind, MeetingPhase};
use crate::projector::role_fact_key;
use crate::queries::Names;
use crate::snapshot::Snapshot;

/// The association's answer.
#[derive(Debug, Clone, Serialize)]
pub struct AssociationAnswer {
    pub association: AssociationId,
    pub title: String,
    pub level: String,
    pub subject: String,
    pub district: String,
    pub school_year: SchoolYear,
    pub roles: Vec<RoleHeld>,
    pub members: u64,
    /// The persons who are members on the date, by name (ids where names are not opened).
    pub member_names: Vec<(PersonId, Option<String>)>,
    pub meetings: Vec<MeetingLine>,
    pub documents: Vec<DocumentLine>,
    /// The persons whose sealed names this answer opened: for the journal (152-FZ).
    #[serde(skip)]
    pub opened: Vec<PersonId>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RoleHeld {
    pub role: String,
    pub person: PersonId,
    /// None when names were not opened (an auditor's view) or the data were erased.
    pub name: Option<String>,
    pub school_year: SchoolYear,
}

#[derive(Debug, Clone, Serialize)]
pub struct MeetingLine {
    pub meeting: MeetingId,
    pub date: NaiveDate,
    pub state: String,
    pub attendance: u32,
    pub protocol_number: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DocumentLine {
    pub document: DocumentId,
    pub title: String,
    pub document_type: String,
    pub state: String,
}

/// The roles an association's page shows, in its order.
const PAGE_ROLES: [AssociationRole; 3] = [
    AssociationRole::Head,
    AssociationRole::Secretary,
    AssociationRole::Curator,
];

/// `association` at `at`, its meetings and documents of the school year of `at`; names of
/// the role holders opened when `open_names`. None when the association does not exist then.
/// Under a `profile` whose membership follows from the registry (001 §1.3) the members are
/// the registry's teachers of the subject.
pub async fn association(
    store: &dyn MetodStore,
    at: TimePoint,
    association: AssociationId,
    profile: Option<&RegulationProfile>,
    open_names: bool,
) -> Result<Option<AssociationAnswer>, ProjectionError> {
    let mut snapshot = Snapshot::empty(at);
    let own = [association.to_string()];
    snapshot.load_keys(store, kind::ASSOCIATION, &own).await?;
    let Some(fact) = snapshot.associations.get(&association).cloned() else {
        return Ok(None);
    };
    let school_year = SchoolYear::containing(at.as_of);
    // what the association is concerned with: its roles (kept by association and role), its
    // meetings of the school year, its documents and its memberships (kept under its id),
    // and the organization and district that name where it is
    let role_keys: Vec<String> = PAGE_ROLES
        .iter()
        .map(|role| role_fact_key(association, *role))
        .collect();
    snapshot.load_keys(store, kind::ROLE, &role_keys).await?;
    snapshot
        .load_in_scopes_since(store, kind::MEETING, &own, school_year.first_day())
        .await?;
    snapshot
        .load_in_scopes(store, &[kind::DOCUMENT], &own)
        .await?;
    let memberships = snapshot
        .load_in_scopes(store, &[kind::MEMBERSHIP], &own)
        .await?;
    snapshot.member_counts.insert(association, memberships);
    if let Some(organization) = fact.organization {
        snapshot
            .load_keys(store, kind::ORGANIZATION, &[organization.to_string()])
            .await?;
    }
    if let Some(district) = snapshot.district_of(&fact) {
        snapshot
            .load_keys(store, kind::DISTRICT, &[district.to_string()])
            .await?;
    }
    let holders: Vec<(AssociationRole, PersonId, SchoolYear)> = PAGE_ROLES
        .into_iter()
        .filter_map(|role| {
            let held = snapshot.roles.get(&(association, role))?;
            Some((role, held.person, held.school_year))
        })
        .collect();
    if let Some(profile) = profile {
        snapshot.members_from_registry(store, profile).await?;
    }
    let mut members: Vec<PersonId> = snapshot
        .members
        .get(&association)
        .cloned()
        .unwrap_or_default();
    members.sort();
    members.dedup();
    let names = if open_names {
        let mut persons: Vec<PersonId> = holders.iter().map(|(_, p, _)| *p).collect();
        persons.extend(members.iter().copied());
        // the memberships and roles carry their persons' sealed names; only the others'
        // person facts are read
        let carried = snapshot.carried_names();
        let unnamed: Vec<PersonId> = persons
            .iter()
            .copied()
            .filter(|p| !carried.contains_key(p))
            .collect();
        snapshot.load_persons(store, &unnamed).await?;
        Some(Names::load(store, &snapshot, persons).await?)
    } else {
        None
    };
    let mut member_names: Vec<(PersonId, Option<String>)> = members
        .iter()
        .map(|p| (*p, names.as_ref().and_then(|n| n.name_of(*p))))
        .collect();
    member_names.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
    let roles = holders
        .iter()
        .map(|(role, person, year)| RoleHeld {
            role: role.in_russian().to_string(),
            person: *person,
            name: names.as_ref().and_then(|n| n.name_of(*person)),
            school_year: *year,
        })
        .collect();
    let mut meetings: Vec<MeetingLine> = snapshot
        .meetings
        .iter()
        .filter(|m| m.association == association)
        .map(|m| MeetingLine {
            meeting: m.meeting,
            date: m.date,
            state: meeting_state(m.phase).to_string(),
            attendance: m.attendance,
            protocol_number: m.protocol_number.clone(),
        })
        .collect();
    meetings.sort_by_key(|m| m.date);
    let documents = snapshot
        .documents
        .iter()
        .filter(|d| d.association == association && d.school_year == school_year)
        .map(|d| DocumentLine {
            document: d.document,
            title: d.title.clone(),
            document_type: d.document_type.in_russian().to_string(),
            state: d.phase.in_russian(),
        })
        .collect();
    let opened = names.as_ref().map(Names::persons).unwrap_or_default();
    Ok(Some(AssociationAnswer {
        association,
        title: fact.title.clone(),
        level: fact.level.in_russian().to_string(),
        subject: fact.subject.as_str().to_string(),
        district: snapshot.district_title(snapshot.district_of(&fact)),
        school_year,
        roles,
        members: snapshot
            .member_counts
            .get(&association)
            .copied()
            .unwrap_or(0),
        member_names,
        meetings,
        documents,
        opened,
    }))
}

/// The meetings each association held from its day to `at` (as known then), by date:
/// those a decision taken at a meeting may cite. One read for all of them.
pub async fn meetings_held(
    store: &dyn MetodStore,
    at: TimePoint,
    asked: &[(AssociationId, NaiveDate)],
) -> Result<BTreeMap<AssociationId, Vec<MeetingLine>>, ProjectionError> {
    // the associations' own meetings, kept under their ids
    let scopes: Vec<String> = asked.iter().map(|(a, _)| a.to_string()).collect();
    let mut snapshot = Snapshot::empty(at);
    snapshot
        .load_in_scopes(store, &[kind::MEETING], &scopes)
        .await?;
    let mut held: BTreeMap<AssociationId, Vec<MeetingLine>> = BTreeMap::new();
    for (association, since) in asked {
        let mut lines: Vec<MeetingLine> = snapshot
            .meetings
            .iter()
            .filter(|m| {
                m.association == *association && m.held() && (*since..=at.as_of).contains(&m.date)
            })
            .map(|m| MeetingLine {
                meeting: m.meeting,
                date: m.date,
                state: meeting_state(m.phase).to_string(),
                attendance: m.attendance,
                protocol_number: m.protocol_number.clone(),
            })
            .collect();
        lines.sort_by_key(|m| m.date);
        held.insert(*association, lines);
    }
    Ok(held)
}

fn meeting_state(phase: MeetingPhase) -> &'static str {
    match phase {
        MeetingPhase::Scheduled => "назначено",
        MeetingPhase::Held => "проведено",
        MeetingPhase::ProtocolDrafted => "протокол составлен",
        MeetingPhase::ProtocolSigned => "протокол подписан",
    }
}
