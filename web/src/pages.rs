//! The pages and what each shows. A page is a template and its view model; `render` gives
//! the HTML or says why it could not be made.

use askama::Template;
use chrono::{DateTime, NaiveDate, Utc};
use domain::inbox::{InboxItem, InboxReason};

use crate::format;

/// A page that could not be rendered (a template's own failure, never the user's input).
#[derive(Debug)]
pub struct PageError(pub String);

impl std::fmt::Display for PageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "страница не построена: {}", self.0)
    }
}

pub(crate) fn rendered(page: &impl Template) -> Result<String, PageError> {
    page.render().map_err(|e| PageError(e.to_string()))
}

/// Which past a page shows: «на дату» and «по сведениям на», both carried by the URL, so a
/// link shows the same past to whoever opens it.
#[derive(Debug, Clone, Default)]
pub struct TimeTravel {
    pub as_of: Option<NaiveDate>,
    pub known_at: Option<DateTime<Utc>>,
    /// The page's own path, for the form that changes the dates.
    pub path: String,
}

impl TimeTravel {
    /// Whether the page shows anything but today as known now.
    pub fn in_the_past(&self) -> bool {
        self.as_of.is_some() || self.known_at.is_some()
    }

    /// The banner that says plainly which past is shown.
    pub fn banner(&self) -> String {
        match (self.as_of, self.known_at) {
            (Some(d), Some(t)) => format!(
                "Показано прошлое: на {} по сведениям на {}",
                format::date(d),
                format::moment(t)
            ),
            (Some(d), None) => format!("Показано прошлое: на {}", format::date(d)),
            (None, Some(t)) => format!(
                "Показано прошлое: на сегодня по сведениям на {}",
                format::moment(t)
            ),
            (None, None) => String::new(),
        }
    }

    pub fn as_of_value(&self) -> String {
        self.as_of.map(|d| d.to_string()).unwrap_or_default()
    }

    /// The address of the page's table `table` as a file (`xlsx`, `csv`), at the same past.
    pub fn export(&self, table: &str, format: &str) -> String {
        let mut address = format!("{}?format={format}&table={table}", self.path);
        if let Some(as_of) = self.as_of {
            address.push_str(&format!("&as_of={as_of}"));
        }
        if self.known_at.is_some() {
            address.push_str(&format!("&known_at={}", self.known_at_value()));
        }
        address
    }

    /// The dates as more of a query string (`&as_of=…&known_at=…`), for links that keep the
    /// past they were shown in.
    pub fn suffix(&self) -> String {
        let mut suffix = String::new();
        if let Some(as_of) = self.as_of {
            suffix.push_str(&format!("&as_of={as_of}"));
        }
        if self.known_at.is_some() {
            suffix.push_str(&format!("&known_at={}", self.known_at_value()));
        }
        suffix
    }

    pub fn known_at_value(&self) -> String {
        self.known_at
            .map(|t| t.format("%Y-%m-%dT%H:%M").to_string())
            .unwrap_or_default()
    }
}

/// The menu of a page: the logged-in account and the pages its role opens (a link is shown
/// only where the role table lets the account in).
#[derive(Debug, Clone, Default)]
pub struct Nav {
    pub login: String,
    pub inbox: bool,
    pub oversight: bool,
    pub journal: bool,
    pub registry: bool,
}

/// A message shown above a page's content: what was done, or why it was refused.
#[derive(Debug, Clone)]
pub struct Notice {
    pub refused: bool,
    pub text: String,
}

/// «Вход».
#[derive(Template)]
#[template(path = "login.html")]
pub struct LoginPage {
    pub login: String,
    pub error: Option<String>,
}

impl LoginPage {
    pub fn render_page(&self) -> Result<String, PageError> {
        rendered(self)
    }
}

/// A page that says why what was asked is not shown: no access, not found, refused.
#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub title: String,
    pub message: String,
    pub code: String,
}

impl ErrorPage {
    pub fn render_page(&self) -> Result<String, PageError> {
        rendered(self)
    }
}

/// One row of «Мои задачи».
#[derive(Debug, Clone)]
pub struct InboxRow {
    pub document: String,
    pub title: String,
    pub association_id: String,
    pub association: String,
    pub what: String,
    /// The step this person decides, when they decide one.
    pub step: Option<u32>,
    pub since: String,
    pub due: String,
    /// Where the due day comes from: the clause, or the profile's setting.
    pub due_source: String,
    pub overdue: String,
    /// Whether the step is decided at a meeting, which the decision then names.
    pub at_meeting: bool,
    /// The meetings it may name: (meeting id, «15 мая 2026 г., протокол № 3»).
    pub meetings: Vec<(String, String)>,
}

impl From<&InboxItem> for InboxRow {
    fn from(item: &InboxItem) -> Self {
        let (step, at_meeting) = match item.reason {
            InboxReason::Decide {
                step, at_meeting, ..
            } => (Some(step), at_meeting.is_some()),
            _ => (None, false),
        };
        InboxRow {
            document: item.document.to_string(),
            title: item.title.clone(),
            association_id: item.association.to_string(),
            association: item.association_title.clone(),
            what: item.reason.in_russian(),
            step,
            since: item.since.map(format::date).unwrap_or_default(),
            due: item.due.map(format::date).unwrap_or_else(|| "—".into()),
            due_source: item
                .due_source
                .as_ref()
                .map(|s| s.text.clone())
                .unwrap_or_default(),
            overdue: if item.overdue_days > 0 {
                format!("просрочено на {}", format::days(item.overdue_days))
            } else {
                String::new()
            },
            at_meeting,
            meetings: Vec::new(),
        }
    }
}

/// «Мои задачи»: what waits for the logged-in person, overdue first, with the decisions in
/// place.
#[derive(Template)]
#[template(path = "inbox.html")]
pub struct InboxPage {
    pub nav: Nav,
    pub rows: Vec<InboxRow>,
    pub when: TimeTravel,
    pub notice: Option<Notice>,
}

impl InboxPage {
    pub fn render_page(&self) -> Result<String, PageError> {
        rendered(self)
    }
}

/// One event of «Документ»'s history.
#[derive(Debug, Clone)]
pub struct TrailRow {
    pub position: u64,
    pub what: String,
    pub who: String,
    pub role: String,
    pub effective: String,
    pub recorded: String,
    pub basis: String,
    pub comment: String,
    pub hash: String,
}

impl TrailRow {
    /// The hash's first 12 hex digits, as shown; the whole is in the cell's title.
    pub fn short_hash(&self) -> &str {
        self.hash.get(..12).unwrap_or(&self.hash)
    }
}

/// One version of a document: its number, when and by whom it was submitted, the SHA-256
/// the log records, and whether its text is kept.
#[derive(Debug, Clone)]
pub struct VersionRow {
    pub number: u32,
    pub submitted: String,
    pub who: String,
    pub hash: String,
    pub text_kept: bool,
}

/// The difference between two versions' texts, or why it cannot be shown.
#[derive(Debug, Clone)]
pub struct VersionDiff {
    pub from: u32,
    pub to: u32,
    pub lines: Vec<crate::diff::DiffLine>,
    /// Said instead of the lines (a version whose text was not kept: submitted through the
    /// API or the command line with its hash only).
    pub missing: Option<String>,
}

/// «Документ»: where it stands, its route, and its whole history from the log with the hash
/// of each event and whether the chain verifies.
#[derive(Template)]
#[template(path = "document.html")]
pub struct DocumentPage {
    pub nav: Nav,
    pub when: TimeTravel,
    pub title: String,
    pub status: String,
    pub chain: Vec<String>,
    pub rows: Vec<TrailRow>,
    pub verifies: bool,
    pub verification: String,
    /// The document's id, for the link to its approval sheet.
    pub id: String,
    /// Who holds the current step: «руководитель городского объединения — Иванова М. С.»;
    /// empty once the document is finished.
    pub holder: String,
    pub versions: Vec<VersionRow>,
    pub diff: Option<VersionDiff>,
}

impl DocumentPage {
    pub fn render_page(&self) -> Result<String, PageError> {
        rendered(self)
    }
}

/// A line of a printed document: what was done, by whom in which role, on which day, and
/// where the log holds it (position and hash), so the paper can be checked against the log.
#[derive(Debug, Clone)]
pub struct SignatureLine {
    pub what: String,
    pub who: String,
    pub role: String,
    pub date: String,
    pub position: u64,
    pub hash: String,
}

impl SignatureLine {
    /// The hash's first 12 hex digits, as a page shows it; the print shows it whole.
    pub fn short_hash(&self) -> &str {
        self.hash.get(..12).unwrap_or(&self.hash)
    }
}

/// The approval sheet (лист согласования) of a document, as printed: its route and every
/// decision with its signature line, and the head of the log.
#[derive(Template)]
#[template(path = "approval_sheet.html")]
pub struct ApprovalSheet {
    pub id: String,
    pub title: String,
    pub status: String,
    pub chain: Vec<String>,
    pub lines: Vec<SignatureLine>,
    pub verifies: bool,
    pub verification: String,
    pub printed: String,
}

impl ApprovalSheet {
    pub fn render_page(&self) -> Result<String, PageError> {
        rendered(self)
    }
}

/// «Положение»: the municipality's regulation profile, rule by rule with its clause, grouped
/// by topic.
#[derive(Template)]
#[template(path = "regulation.html")]
pub struct RegulationPage {
    pub nav: Nav,
    pub when: TimeTravel,
    /// The municipality.
    pub title: String,
    /// The regulation and the order that approved it.
    pub source: String,
    pub profile: String,
    /// (topic, [(rule, clause)])
    pub topics: Vec<(String, Vec<(String, String)>)>,
}

impl RegulationPage {
    pub fn render_page(&self) -> Result<String, PageError> {
        rendered(self)
    }
}

/// «Реестр»: the forms of the registry, orders, appointments and elections, applications,
/// meetings and documents; the chosen one filled in place. A refusal is shown beside the
/// field it concerns (or above the form), and nothing is written.
#[derive(Template)]
#[template(path = "registry.html")]
pub struct RegistryPage {
    pub nav: Nav,
    /// (group, [(slug, title)])
    pub groups: Vec<(String, Vec<(String, String)>)>,
    pub slug: String,
    pub title: String,
    pub fields: Vec<crate::forms::FieldView>,
    pub notice: Option<Notice>,
    /// The day whose registry the lists show (a paper record of a past day).
    pub when: TimeTravel,
}

impl RegistryPage {
    pub fn render_page(&self) -> Result<String, PageError> {
        rendered(self)
    }
}

/// A question of «Надзор», as its tab.
#[derive(Debug, Clone)]
pub struct QuestionTab {
    pub name: String,
    pub label: String,
    pub current: bool,
}

/// «Надзор»: one of the oversight questions at a point of both time axes, filtered by
/// district and subject, with the rules and clauses behind the answer.
#[derive(Template)]
#[template(path = "oversight.html")]
pub struct OversightPage {
    pub nav: Nav,
    pub when: TimeTravel,
    pub tabs: Vec<QuestionTab>,
    pub question: String,
    /// «Два учебных года»: the two years compared.
    pub years: Option<(String, String)>,
    pub title: String,
    /// (clause, rule)
    pub rules: Vec<(String, String)>,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Said instead of rows when the regulation has no rule for the question.
    pub no_rule: Option<String>,
    pub district: String,
    pub subject: String,
    /// The query string of the export of this very table.
    pub export_query: String,
}

impl OversightPage {
    pub fn render_page(&self) -> Result<String, PageError> {
        rendered(self)
    }
}

/// One event of «Журнал».
#[derive(Debug, Clone)]
pub struct LogRow {
    pub position: u64,
    pub stream: String,
    pub event_type: String,
    pub effective: String,
    pub recorded: String,
    pub actor: String,
    pub role: String,
    pub hash: String,
}

impl LogRow {
    pub fn short_hash(&self) -> &str {
        self.hash.get(..12).unwrap_or(&self.hash)
    }
}

/// «Журнал»: the log itself, a page of events from a position, and whether the chain
/// verifies (for the operator and the auditor; payloads are not shown — personal fields in
/// them are ciphertext).
#[derive(Template)]
#[template(path = "journal.html")]
pub struct JournalPage {
    pub nav: Nav,
    pub rows: Vec<LogRow>,
    pub verifies: bool,
    pub verification: String,
    pub previous: Option<u64>,
    pub next: Option<u64>,
    pub limit: usize,
    /// The position the page starts from.
    pub from: u64,
    /// The past shown: events in effect by «на дату», recorded by «по сведениям на».
    pub when: TimeTravel,
}

impl JournalPage {
    pub fn render_page(&self) -> Result<String, PageError> {
        rendered(self)
    }
}

/// «Объединение»: what it is, who holds its roles and since which school year, how many
/// members it has, its meetings and documents of the school year shown.
#[derive(Template)]
#[template(path = "association.html")]
pub struct AssociationPage {
    pub nav: Nav,
    pub when: TimeTravel,
    pub title: String,
    /// «городское объединение · физика · Центральный район»
    pub what: String,
    pub school_year: String,
    /// (role, holder, since school year)
    pub roles: Vec<(String, String, String)>,
    pub members: u64,
    /// The members on the date, by name.
    pub member_names: Vec<String>,
    /// (meeting id, date, state, attendance, protocol)
    pub meetings: Vec<(String, String, String, u32, String)>,
    /// (document id, title, type, state)
    pub documents: Vec<(String, String, String, String)>,
}

impl AssociationPage {
    pub fn render_page(&self) -> Result<String, PageError> {
        rendered(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_users_typed_is_shown_as_text() {
        let page = InboxPage {
            nav: Nav::default(),
            rows: vec![InboxRow {
                document: "d1".into(),
                title: "<script>alert(1)</script> План".into(),
                association_id: "a1".into(),
                association: "ГМО «Физика»".into(),
                what: "подача документа".into(),
                step: None,
                since: String::new(),
                due: "—".into(),
                due_source: String::new(),
                overdue: String::new(),
                at_meeting: false,
                meetings: Vec::new(),
            }],
            when: TimeTravel::default(),
            notice: None,
        };
        let html = page.render_page().expect("renders");
        assert!(!html.contains("<script>alert(1)</script>"), "{html}");
        assert!(html.contains(">&#60;script&#62;alert(1)&#60;/script&#62; План</a></h2>"));
    }

    #[test]
    fn a_past_page_says_so() {
        let when = TimeTravel {
            as_of: NaiveDate::from_ymd_opt(2025, 5, 15),
            known_at: None,
            path: "/inbox".into(),
        };
        assert!(when.in_the_past());
        assert_eq!(when.banner(), "Показано прошлое: на 15 мая 2025 г.");
        assert!(!TimeTravel::default().in_the_past());
    }
}
