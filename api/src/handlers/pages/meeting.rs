//! «Заседание»: a meeting's record in the caller's scope, its printed protocol, and the
//! secretary's drafting and the head's signing of the protocol in place.

use std::sync::Arc;

use app::AccountKind;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Form;
use domain::ids::MeetingId;
use serde::Deserialize;
use serde_json::json;
use sha2::{Digest, Sha256};
use web::{MeetingPage, MeetingView, Notice, ProtocolPrint, SignatureLine, VoteRow};

use super::{
    asked_at, failed, html, nav, page_or_file, record_as, redirect, require_sees, time_travel,
    PageParams,
};
use crate::auth::{Access, Caller};
use crate::error::ApiError;
use crate::shared::Shared;

/// `GET /meetings/{id}`: «Заседание».
pub(crate) async fn meeting_page(
    State(shared): State<Arc<Shared>>,
    caller: Result<Caller, ApiError>,
    Path(id): Path<String>,
    Query(params): Query<PageParams>,
) -> Response {
    match meeting_of(&shared, caller, &id, &params, None).await {
        Ok(response) => response,
        Err(e) => failed(e),
    }
}

/// `GET /meetings/{id}/protocol`: the protocol as printed, with each event's position and
/// hash and the head of the log.
pub(crate) async fn protocol_print(
    State(shared): State<Arc<Shared>>,
    caller: Result<Caller, ApiError>,
    Path(id): Path<String>,
    Query(params): Query<PageParams>,
) -> Response {
    let printed = async {
        let caller = caller?;
        let travel = time_travel(&params, &format!("/meetings/{id}/protocol"))?;
        let meeting = view_of(&shared, &caller, &id, &travel).await?;
        let print = ProtocolPrint {
            meeting,
            printed: web::format::moment(shared.app.clock()?.now()),
        };
        Ok::<_, ApiError>(html(print.render_page()))
    };
    match printed.await {
        Ok(response) => response,
        Err(e) => failed(e),
    }
}

async fn meeting_of(
    shared: &Shared,
    caller: Result<Caller, ApiError>,
    id: &str,
    params: &PageParams,
    refusal: Option<Notice>,
) -> Result<Response, ApiError> {
    let caller = caller?;
    let travel = time_travel(params, &format!("/meetings/{id}"))?;
    let meeting = view_of(shared, &caller, id, &travel).await?;
    let notice = refusal.or_else(|| {
        params.done.as_deref().and_then(|done| {
            let text = match done {
                "drafted" => "Протокол оформлен.",
                "signed" => "Протокол подписан.",
                _ => return None,
            };
            Some(Notice {
                refused: false,
                text: text.into(),
            })
        })
    });
    let acts = caller.principal.kind == AccountKind::Person && !travel.in_the_past();
    let page = MeetingPage {
        nav: nav(shared, &caller).await?,
        may_draft: acts && meeting.protocol_number.is_empty() && !meeting.attendance.is_empty(),
        may_sign: acts && !meeting.protocol_number.is_empty() && meeting.signed_by.is_empty(),
        when: travel,
        meeting,
        notice,
    };
    Ok(page_or_file(
        &page,
        params.format.as_deref(),
        params.table.as_deref(),
        "meeting",
    ))
}

/// The meeting `id` as `caller` may see it: refused outside their associations, names sealed
/// for an auditor and journaled for everyone else.
async fn view_of(
    shared: &Shared,
    caller: &Caller,
    id: &str,
    travel: &web::TimeTravel,
) -> Result<MeetingView, ApiError> {
    caller.require(Access::Documents, shared).await?;
    let meeting = MeetingId::parse(id)
        .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, e.code(), &e.to_string()))?;
    let open_names = caller.principal.kind != AccountKind::Auditor;
    let when = asked_at(travel);
    let record = shared.app.meeting(meeting, when, open_names).await?;
    require_sees(
        shared,
        caller,
        &record.association,
        "заседание не относится к вашим объединениям",
    )
    .await?;
    let whose: Vec<String> = record
        .opened_persons()
        .iter()
        .map(ToString::to_string)
        .collect();
    shared
        .app
        .record_access(
            &caller.principal,
            &whose,
            &format!("GET /meetings/{meeting}"),
        )
        .await?;
    let date = record.date.map(web::format::date).unwrap_or_default();
    Ok(MeetingView {
        id: meeting.to_string(),
        association_id: record.association.to_string(),
        title: format!("Заседание {date}"),
        date,
        status: record.status,
        agenda: record.agenda,
        attendance: record.attendance.iter().map(|a| a.label()).collect(),
        questions: record.questions,
        recommendations: record.recommendations,
        votes: record
            .votes
            .into_iter()
            .map(|v| VoteRow {
                question: v.question,
                votes_for: v.votes_for,
                against: v.against,
                abstained: v.abstained,
            })
            .collect(),
        protocol_number: record.protocol_number.unwrap_or_default(),
        protocol_text: match &record.protocol_hash {
            Some(hash) => shared.app.kept_text(hash).await?,
            None => None,
        },
        protocol_hash: record.protocol_hash.unwrap_or_default(),
        drafted_by: record.drafted_by.map(|a| a.label()).unwrap_or_default(),
        signed_by: record.signed_by.map(|a| a.label()).unwrap_or_default(),
        lines: record
            .entries
            .into_iter()
            .map(|e| SignatureLine {
                what: e.what,
                who: e.actor_name.unwrap_or(e.actor),
                role: web::format::role(&e.role),
                date: web::format::date(e.effective),
                position: e.position,
                hash: e.hash,
            })
            .collect(),
        verifies: record.chain_verifies,
        verification: record.verification,
    })
}

#[derive(Deserialize)]
pub(crate) struct DraftForm {
    #[serde(default)]
    number: String,
    #[serde(default)]
    text: String,
}

/// `POST /meetings/{id}/draft`: the protocol drafted — its number and text, of which the log
/// keeps the SHA-256 — as the logged-in person (the rules: the secretary).
pub(crate) async fn draft_form(
    State(shared): State<Arc<Shared>>,
    caller: Result<Caller, ApiError>,
    Path(id): Path<String>,
    Form(form): Form<DraftForm>,
) -> Response {
    // lines ended by LF, as typed (a form sends CR LF)
    let text = form.text.replace("\r\n", "\n");
    let text = text.trim();
    let command = if text.is_empty() {
        Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "protocol_text_empty",
            "нет текста протокола: журнал хранит хеш текста, а не пустого места",
        ))
    } else {
        Ok(
            json!({ "command": "draft_protocol", "meeting": id, "number": form.number.trim(),
                   "content_hash": hex::encode(Sha256::digest(text.as_bytes())) }),
        )
    };
    act_on_meeting(&shared, caller, &id, command, Some(text), "drafted").await
}

/// `POST /meetings/{id}/sign`: the drafted protocol signed as the logged-in person (the
/// rules: the head).
pub(crate) async fn sign_form(
    State(shared): State<Arc<Shared>>,
    caller: Result<Caller, ApiError>,
    Path(id): Path<String>,
) -> Response {
    let command = Ok(json!({ "command": "sign_protocol", "meeting": id }));
    act_on_meeting(&shared, caller, &id, command, None, "signed").await
}

/// Records `command` on meeting `id` as the logged-in person (and then keeps the protocol's
/// `text` beside the log), then shows the meeting again: with what was done, or with the
/// refusal and its clause (nothing written).
async fn act_on_meeting(
    shared: &Shared,
    caller: Result<Caller, ApiError>,
    id: &str,
    command: Result<serde_json::Value, ApiError>,
    text: Option<&str>,
    done: &str,
) -> Response {
    let caller = match caller {
        Ok(caller) => caller,
        Err(e) => return failed(e),
    };
    let recorded = async {
        caller.require(Access::Acting, shared).await?;
        let person = caller.person().ok_or_else(|| {
            ApiError::new(StatusCode::FORBIDDEN, "forbidden", "протоколы ведут лица")
        })?;
        MeetingId::parse(id)
            .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, e.code(), &e.to_string()))?;
        record_as(shared, person, &command?).await?;
        if let Some(text) = text {
            shared.app.keep_text(text).await?;
        }
        Ok::<(), ApiError>(())
    };
    match recorded.await {
        Ok(()) => redirect(&format!("/meetings/{id}?done={done}")),
        Err(e)
            if e.status == StatusCode::UNPROCESSABLE_ENTITY || e.status == StatusCode::CONFLICT =>
        {
            let refusal = Notice {
                refused: true,
                text: super::refusal_text(&e),
            };
            let status = e.status;
            match meeting_of(
                shared,
                Ok(caller),
                id,
                &PageParams::default(),
                Some(refusal),
            )
            .await
            {
                Ok(page) => (status, page).into_response(),
                Err(e) => failed(e),
            }
        }
        Err(e) => failed(e),
    }
}
