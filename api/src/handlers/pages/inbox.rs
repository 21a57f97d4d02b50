//! «Мои задачи»: the inbox, and the decisions taken in place.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Form;
use chrono::NaiveDate;
use domain::ids::{AssociationId, DocumentId, PersonId};
use domain::inbox::InboxReason;
use serde::Deserialize;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use web::{InboxPage, InboxRow, Notice};

use super::{
    asked_at, failed, nav, page_or_file, record_as, redirect, refusal_text, require_sees,
    time_travel, PageParams,
};
use crate::auth::{Access, Caller};
use crate::error::ApiError;
use crate::shared::Shared;

/// `GET /inbox`: «Мои задачи».
pub(crate) async fn inbox_page(
    State(shared): State<Arc<Shared>>,
    caller: Result<Caller, ApiError>,
    Query(params): Query<PageParams>,
) -> Response {
    match inbox_of(&shared, caller, &params, None).await {
        Ok(response) => response,
        Err(e) => failed(e),
    }
}

async fn inbox_of(
    shared: &Shared,
    caller: Result<Caller, ApiError>,
    params: &PageParams,
    refusal: Option<Notice>,
) -> Result<Response, ApiError> {
    let caller = caller?;
    caller.require(Access::OwnInbox, shared).await?;
    let person = caller.person().ok_or_else(|| {
        ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "входящие есть только у лиц",
        )
    })?;
    let travel = time_travel(params, "/inbox")?;
    let items = shared.app.inbox(person, asked_at(&travel)).await?;
    // what was just done, by its code: the page never shows text taken from the address
    let notice = refusal.or_else(|| {
        params
            .done
            .as_deref()
            .and_then(Done::from_code)
            .map(|done| Notice {
                refused: false,
                text: done.text().to_string(),
            })
    });
    // the meetings a step decided at a meeting may cite: one read for the whole list
    let asked: Vec<(AssociationId, NaiveDate)> =
        items.iter().filter_map(at_meeting_since).collect();
    let held = if asked.is_empty() {
        Default::default()
    } else {
        shared.app.meetings_held(&asked, asked_at(&travel)).await?
    };
    let rows = items
        .iter()
        .map(|item| {
            let mut row = InboxRow::from(item);
            if let Some((association, since)) = at_meeting_since(item) {
                row.meetings = meetings_to_cite(held.get(&association), since);
            }
            row
        })
        .collect();
    let page = InboxPage {
        nav: nav(shared, &caller).await?,
        rows,
        when: travel,
        notice,
    };
    Ok(page_or_file(
        &page,
        params.format.as_deref(),
        params.table.as_deref(),
        "inbox",
    ))
}

/// The association whose meeting decides the item's step, and since when it waits there.
fn at_meeting_since(item: &domain::inbox::InboxItem) -> Option<(AssociationId, NaiveDate)> {
    match (&item.reason, item.since) {
        (
            InboxReason::Decide {
                at_meeting: Some(association),
                ..
            },
            Some(since),
        ) => Some((*association, since)),
        _ => None,
    }
}

/// The meetings held since `since` that a decision may name, the latest first, labelled by
/// date and protocol.
fn meetings_to_cite(
    held: Option<&Vec<projections::association::MeetingLine>>,
    since: NaiveDate,
) -> Vec<(String, String)> {
    held.into_iter()
        .flatten()
        .filter(|m| m.date >= since)
        .rev()
        .map(|m| {
            let protocol = m
                .protocol_number
                .as_ref()
                .map(|n| format!(", протокол № {n}"))
                .unwrap_or_default();
            (
                m.meeting.to_string(),
                format!("{}{protocol}", web::format::date(m.date)),
            )
        })
        .collect()
}

#[derive(Deserialize)]
pub(crate) struct DecisionForm {
    step: u32,
    action: String,
    #[serde(default)]
    comment: String,
    #[serde(default)]
    protocol_number: String,
    /// The meeting the decision was taken at (a step decided at one).
    #[serde(default)]
    meeting: String,
}

/// `POST /documents/{id}/decide`: approve, return or reject the step from «Мои задачи», as
/// the logged-in person. A refusal shows the inbox again with the rule and its clause, and
/// writes nothing.
pub(crate) async fn decide_form(
    State(shared): State<Arc<Shared>>,
    caller: Result<Caller, ApiError>,
    Path(id): Path<String>,
    Form(form): Form<DecisionForm>,
) -> Response {
    let caller = match caller {
        Ok(caller) => caller,
        Err(e) => return failed(e),
    };
    match decide(&shared, &caller, &id, &form).await {
        Ok(done) => redirect(&format!("/inbox?done={}", done.code())),
        Err(e) => refused_on_the_inbox(&shared, caller, e).await,
    }
}

/// A refusal by the rules (or a stale version) shown on «Мои задачи» with its clause; any
/// other failure as its own page.
async fn refused_on_the_inbox(shared: &Shared, caller: Caller, e: ApiError) -> Response {
    if e.status != StatusCode::UNPROCESSABLE_ENTITY && e.status != StatusCode::CONFLICT {
        return failed(e);
    }
    let refusal = Notice {
        refused: true,
        text: refusal_text(&e),
    };
    match inbox_of(shared, Ok(caller), &PageParams::default(), Some(refusal)).await {
        Ok(page) => (e.status, page).into_response(),
        Err(e) => failed(e),
    }
}

async fn decide(
    shared: &Shared,
    caller: &Caller,
    id: &str,
    form: &DecisionForm,
) -> Result<Done, ApiError> {
    let (person, document) = person_acting_on(shared, caller, id, "решения принимают лица").await?;
    let comment = form.comment.trim();
    let (command, done) = match form.action.as_str() {
        "approve" => {
            let mut command =
                json!({ "command": "approve_step", "document": document, "step": form.step });
            if !comment.is_empty() {
                command["comment"] = Value::from(comment);
            }
            let protocol = form.protocol_number.trim();
            if !protocol.is_empty() {
                command["protocol_number"] = Value::from(protocol);
            }
            let meeting = form.meeting.trim();
            if !meeting.is_empty() {
                command["meeting"] = Value::from(meeting);
            }
            (command, Done::Approved)
        }
        "return" => (
            json!({ "command": "return_document", "document": document, "step": form.step, "comment": comment }),
            Done::Returned,
        ),
        "reject" => (
            json!({ "command": "reject_document", "document": document, "step": form.step, "reason": comment }),
            Done::Rejected,
        ),
        other => {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid_action",
                &format!("неизвестное действие «{other}»"),
            ))
        }
    };
    record_as(shared, person, &command).await?;
    Ok(done)
}

#[derive(Deserialize)]
pub(crate) struct VersionForm {
    #[serde(default)]
    text: String,
}

/// `POST /documents/{id}/submit`: a new version from «Мои задачи» — its text, of which the
/// log keeps the SHA-256 (`content_hash`) — submitted as the logged-in person: the first
/// submission starts the route, one after a return continues it from the step that returned
/// it. A refusal shows the inbox again with the rule and its clause, and writes nothing.
pub(crate) async fn submit_form(
    State(shared): State<Arc<Shared>>,
    caller: Result<Caller, ApiError>,
    Path(id): Path<String>,
    Form(form): Form<VersionForm>,
) -> Response {
    let caller = match caller {
        Ok(caller) => caller,
        Err(e) => return failed(e),
    };
    match submit(&shared, &caller, &id, &form).await {
        Ok(done) => redirect(&format!("/inbox?done={}", done.code())),
        Err(e) => refused_on_the_inbox(&shared, caller, e).await,
    }
}

async fn submit(
    shared: &Shared,
    caller: &Caller,
    id: &str,
    form: &VersionForm,
) -> Result<Done, ApiError> {
    let (person, document) = person_acting_on(shared, caller, id, "документы подают лица").await?;
    // a form sends a text area's lines ended by CR LF: the text kept and hashed ends them by
    // LF, as it was typed
    let text = form.text.replace("\r\n", "\n");
    let text = text.trim();
    if text.is_empty() {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "version_text_empty",
            "нет текста версии: подаётся документ, а не пустое место",
        ));
    }
    let content_hash = hex::encode(Sha256::digest(text.as_bytes()));
    let command = json!({ "command": "submit_document_version", "document": document,
                          "content_hash": content_hash });
    record_as(shared, person, &command).await?;
    // the text beside the log, once the version is recorded: a refused one keeps nothing
    shared.app.keep_text(text).await?;
    Ok(Done::Submitted)
}

/// What a form on «Мои задачи» did, named in the address it redirects to by a code, so the
/// page says it in its own words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Done {
    Approved,
    Returned,
    Rejected,
    Submitted,
}

impl Done {
    const ALL: [Done; 4] = [
        Done::Approved,
        Done::Returned,
        Done::Rejected,
        Done::Submitted,
    ];

    fn code(self) -> &'static str {
        match self {
            Done::Approved => "approved",
            Done::Returned => "returned",
            Done::Rejected => "rejected",
            Done::Submitted => "submitted",
        }
    }

    fn from_code(code: &str) -> Option<Done> {
        Done::ALL.into_iter().find(|d| d.code() == code)
    }

    fn text(self) -> &'static str {
        match self {
            Done::Approved => "Шаг согласован.",
            Done::Returned => "Документ возвращён на доработку.",
            Done::Rejected => "Документ отклонён.",
            Done::Submitted => "Версия подана.",
        }
    }
}

/// The person acting on document `id` from a page: an account that may act, a person's
/// (`who_may` says who else is refused), a well-formed document id, and a document of an
/// association they see.
async fn person_acting_on(
    shared: &Shared,
    caller: &Caller,
    id: &str,
    who_may: &str,
) -> Result<(PersonId, DocumentId), ApiError> {
    caller.require(Access::Acting, shared).await?;
    let person = caller
        .person()
        .ok_or_else(|| ApiError::new(StatusCode::FORBIDDEN, "forbidden", who_may))?;
    let document = DocumentId::parse(id)
        .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, e.code(), &e.to_string()))?;
    // outside the person's associations a document is not theirs to act on: «нет доступа»
    // before any rule is asked
    let association = shared
        .app
        .association_of_document(document)
        .await?
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::NOT_FOUND,
                "not_found",
                &format!("документ {document} не найден"),
            )
        })?;
    require_sees(
        shared,
        caller,
        &association,
        "документ не относится к вашим объединениям",
    )
    .await?;
    Ok((person, document))
}
