//! The answers people read: an oversight question, two school years side by side, a
//! person's inbox, a document's trail — each at a point of both time axes.

use chrono::{DateTime, NaiveDate, Utc};
use commands::ProfileSet;
use domain::ids::{AssociationId, DocumentId, MeetingId, PersonId};
use domain::inbox::InboxItem;
use domain::{RegulationProfile, SchoolYear};
use projections::association::{AssociationAnswer, MeetingLine};
use projections::facts::{kind, FactBody};
use projections::queries::{self, Filters, QueryKind, Question, Report};
use projections::snapshot::body_of;
use store::{MetodStore, TimePoint};
use workflows::{meeting_record, trail_verified, MeetingRecord, Trail};

use crate::app::App;
use crate::error::AppError;

/// When a question is asked about: what was true on `as_of` (None: the clock's today; for a
/// trail, the document's whole history) as known at `known_at` (None: now).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct When {
    pub as_of: Option<NaiveDate>,
    pub known_at: Option<DateTime<Utc>>,
}

impl App {
    /// The point of both time axes `when` names: the date asked (today if none), as known
    /// then (now if not said).
    fn point(&self, when: When) -> Result<TimePoint, AppError> {
        Ok(TimePoint {
            as_of: match when.as_of {
                Some(as_of) => as_of,
                None => self.today()?,
            },
            known_at: when.known_at,
        })
    }

    /// An oversight question, answered from the read models (brought up to the log first)
    /// under the profile of the municipality registered then.
    pub async fn query(
        &self,
        kind: QueryKind,
        when: When,
        filters: Filters,
    ) -> Result<Report, AppError> {
        let as_of = match when.as_of {
            Some(as_of) => as_of,
            None => self.today()?,
        };
        let at = TimePoint {
            as_of,
            known_at: when.known_at,
        };
        let profiles = self.profiles()?;
        let store = self.store().await?.as_ref();
        self.catch_up(store).await?;
        let profile = profile_in_force(store, profiles, at).await?;
        let question = Question {
            at,
            profile,
            filters,
        };
        Ok(queries::run(store, kind, &question).await?)
    }

    /// Two school years side by side, as known at `known_at`.
    pub async fn compare(
        &self,
        first: SchoolYear,
        second: SchoolYear,
        known_at: Option<DateTime<Utc>>,
        filters: Filters,
    ) -> Result<Report, AppError> {
        let today = self.today()?;
        let profiles = self.profiles()?;
        let store = self.store().await?.as_ref();
        self.catch_up(store).await?;
        let at = TimePoint {
            as_of: second.last_day().min(today),
            known_at,
        };
        let profile = profile_in_force(store, profiles, at).await?;
        Ok(
            projections::compare::compare(store, profile, first, second, known_at, today, &filters)
                .await?,
        )
    }

    /// What waits for `person`: overdue first, then by due date. Nothing before a
    /// municipality is registered.
    pub async fn inbox(&self, person: PersonId, when: When) -> Result<Vec<InboxItem>, AppError> {
        let store = self.store().await?.as_ref();
        let profiles = self.profiles()?;
        let as_of = match when.as_of {
            Some(as_of) => as_of,
            None => self.today()?,
        };
        let at = TimePoint {
            as_of,
            known_at: when.known_at,
        };
        self.catch_up(store).await?;
        Ok(match registered_profile(store, profiles, at).await? {
            Some(profile) => projections::inbox::inbox(store, at, profile, person).await?,
            None => Vec::new(),
        })
    }

    /// One association at a point of both time axes: what it is, who holds its roles (names
    /// opened when `open_names`), its member count, its meetings and documents of the school
    /// year. None when it does not exist then.
    pub async fn association(
        &self,
        association: AssociationId,
        when: When,
        open_names: bool,
    ) -> Result<Option<AssociationAnswer>, AppError> {
        let store = self.store().await?.as_ref();
        let at = self.point(when)?;
        self.catch_up(store).await?;
        let profile = registered_profile(store, self.profiles()?, at).await?;
        Ok(
            projections::association::association(store, at, association, profile, open_names)
                .await?,
        )
    }

    /// The meetings each association held from its day to the date asked, as known then:
    /// those a decision taken at a meeting may cite.
    pub async fn meetings_held(
        &self,
        asked: &[(AssociationId, NaiveDate)],
        when: When,
    ) -> Result<std::collections::BTreeMap<AssociationId, Vec<MeetingLine>>, AppError> {
        let store = self.store().await?.as_ref();
        let at = self.point(when)?;
        self.catch_up(store).await?;
        Ok(projections::association::meetings_held(store, at, asked).await?)
    }

    /// Who holds `document`'s current step at the date asked: the role and the persons
    /// (named when `open_names`); None once it is finished.
    pub async fn current_holder(
        &self,
        document: DocumentId,
        when: When,
        open_names: bool,
    ) -> Result<Option<queries::StepHolder>, AppError> {
        let store = self.store().await?.as_ref();
        let at = self.point(when)?;
        self.catch_up(store).await?;
        Ok(queries::current_holder(store, at, document, open_names).await?)
    }

    /// The regulation profile of the municipality registered in the store at the date asked
    /// (as known then); None before one is registered.
    pub async fn profile_in_force(
        &self,
        when: When,
    ) -> Result<Option<&RegulationProfile>, AppError> {
        let store = self.store().await?.as_ref();
        let at = self.point(when)?;
        self.catch_up(store).await?;
        registered_profile(store, self.profiles()?, at).await
    }

    /// What the forms of «Реестр» offer to choose from at the date asked: districts,
    /// organizations, bodies, associations, persons (named when `open_names`), meetings.
    pub async fn registry_lists(
        &self,
        when: When,
        open_names: bool,
    ) -> Result<projections::registry_lists::RegistryLists, AppError> {
        let store = self.store().await?.as_ref();
        let at = self.point(when)?;
        self.catch_up(store).await?;
        Ok(projections::registry_lists::registry_lists(store, at, open_names).await?)
    }

    /// Keeps the text of a document's version or a protocol beside the log, under the
    /// SHA-256 its `content_hash` records; returns the hash.
    pub async fn keep_text(&self, text: &str) -> Result<store::Hash, AppError> {
        Ok(self.store().await?.keep_text(text).await?)
    }

    /// The text kept for a `content_hash` (hex), if one is.
    pub async fn kept_text(&self, content_hash: &str) -> Result<Option<String>, AppError> {
        let Some(hash) = hex::decode(content_hash)
            .ok()
            .and_then(|bytes| store::Hash::try_from(bytes).ok())
        else {
            return Ok(None);
        };
        Ok(self.store().await?.text(&hash).await?)
    }

    /// A meeting's record: agenda, attendance, questions and decisions, votes, protocol, and
    /// each event with its position and hash; names opened when `open_names`.
    pub async fn meeting(
        &self,
        meeting: MeetingId,
        when: When,
        open_names: bool,
    ) -> Result<MeetingRecord, AppError> {
        let store = self.store().await?;
        let verification = self.verify_since_last().await?;
        Ok(meeting_record(
            store.as_ref(),
            meeting,
            when.as_of,
            when.known_at,
            verification,
            open_names,
        )
        .await?)
    }

    /// A document's history: versions, steps, decisions, bases, hashes, and whether its hash
    /// chain verifies.
    pub async fn trail(&self, document: DocumentId, when: When) -> Result<Trail, AppError> {
        let store = self.store().await?;
        let verification = self.verify_since_last().await?;
        Ok(trail_verified(
            store.as_ref(),
            document,
            when.as_of,
            when.known_at,
            verification,
        )
        .await?)
    }
}

/// The profile of the municipality registered in the store at `at`.
async fn profile_in_force<'p>(
    store: &dyn MetodStore,
    profiles: &'p ProfileSet,
    at: TimePoint,
) -> Result<&'p RegulationProfile, AppError> {
    registered_profile(store, profiles, at)
        .await?
        .ok_or(AppError::NoMunicipality { at })
}

/// The profile of the municipality registered in the store at `at`, if one is.
pub(crate) async fn registered_profile<'p>(
    store: &dyn MetodStore,
    profiles: &'p ProfileSet,
    at: TimePoint,
) -> Result<Option<&'p RegulationProfile>, AppError> {
    // The municipality's row alone, not its districts and associations.
    for row in store.facts_at(&[kind::MUNICIPALITY], at).await? {
        if let FactBody::Municipality(municipality) = body_of(&row)? {
            return Ok(Some(profiles.get(&municipality.profile)?));
        }
    }
    Ok(None)
}
