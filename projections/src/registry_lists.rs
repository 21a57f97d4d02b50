//! What the forms of «Реестр» offer to choose from at a point of both time axes: the
//! municipality, its districts, organizations, bodies and associations by title, its persons
//! by name (opened through the vault when asked, and reported for the journal), and the
//! meetings held in the last school year and this one.

use domain::calendar::SchoolYear;
use domain::ids::PersonId;
use store::{MetodStore, TimePoint};

use crate::error::ProjectionError;
use crate::queries::Names;
use crate::snapshot::{Needs, Snapshot};

/// (id, label) lists, each sorted by label.
#[derive(Debug, Clone, Default)]
pub struct RegistryLists {
    pub municipalities: Vec<(String, String)>,
    pub districts: Vec<(String, String)>,
    pub organizations: Vec<(String, String)>,
    pub bodies: Vec<(String, String)>,
    pub associations: Vec<(String, String)>,
    pub persons: Vec<(String, String)>,
    pub meetings: Vec<(String, String)>,
    /// The persons whose sealed names these lists opened: for the journal (152-FZ).
    pub opened: Vec<PersonId>,
}

/// The lists at `at`; persons named when `open_names`, else by their registry ids.
pub async fn registry_lists(
    store: &dyn MetodStore,
    at: TimePoint,
    open_names: bool,
) -> Result<RegistryLists, ProjectionError> {
    let needs = Needs {
        registry: true,
        ..Needs::default()
    };
    let mut snapshot = Snapshot::load(store, at, needs).await?;
    snapshot.load_all_persons(store).await?;
    let since = SchoolYear::containing(at.as_of).previous().first_day();
    snapshot.load_meetings_since(store, since).await?;
    let sorted = |mut list: Vec<(String, String)>| {
        list.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
        list
    };
    let persons: Vec<PersonId> = snapshot.persons.keys().copied().collect();
    let names = if open_names {
        Some(Names::load(store, &snapshot, persons.clone()).await?)
    } else {
        None
    };
    let association_title = |id: &domain::ids::AssociationId| {
        snapshot
            .associations
            .get(id)
            .map(|a| a.title.clone())
            .unwrap_or_else(|| id.to_string())
    };
    Ok(RegistryLists {
        municipalities: sorted(
            snapshot
                .municipalities
                .iter()
                .map(|m| (m.municipality.to_string(), m.title.clone()))
                .collect(),
        ),
        districts: sorted(
            snapshot
                .districts
                .values()
                .map(|d| (d.district.to_string(), d.title.clone()))
                .collect(),
        ),
        organizations: sorted(
            snapshot
                .organizations
                .values()
                .map(|o| (o.organization.to_string(), o.title.clone()))
                .collect(),
        ),
        bodies: sorted(
            snapshot
                .bodies
                .values()
                .map(|b| (b.body.to_string(), b.title.clone()))
                .collect(),
        ),
        associations: sorted(
            snapshot
                .associations
                .values()
                .map(|a| (a.association.to_string(), a.title.clone()))
                .collect(),
        ),
        persons: sorted(
            persons
                .iter()
                .map(|p| {
                    let name = names
                        .as_ref()
                        .and_then(|n| n.name_of(*p))
                        .unwrap_or_else(|| format!("person:{p}"));
                    (p.to_string(), name)
                })
                .collect(),
        ),
        meetings: {
            let mut meetings: Vec<_> = snapshot.meetings.iter().collect();
            meetings.sort_by_key(|m| std::cmp::Reverse(m.date));
            meetings
                .into_iter()
                .map(|m| {
                    (
                        m.meeting.to_string(),
                        format!(
                            "{} — {}",
                            domain::calendar::russian_date(m.date),
                            association_title(&m.association)
                        ),
                    )
                })
                .collect()
        },
        opened: names.as_ref().map(Names::persons).unwrap_or_default(),
    })
}
