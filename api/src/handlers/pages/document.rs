//! «Документ»: a document's state, route and whole history, in the trail's scope.

use std::sync::Arc;

use app::AccountKind;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use domain::ids::DocumentId;
use web::{ApprovalSheet, DocumentPage, SignatureLine, TrailRow, VersionDiff, VersionRow};

use super::{asked_at, failed, html, nav, page_or_file, time_travel, PageParams};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::handlers::answers::scoped_trail;
use crate::shared::Shared;

/// `GET /documents/{id}`: «Документ» — its state, route and whole history, as the caller may
/// see it (the same scope as the API's trail; names opened are journaled).
pub(crate) async fn document_page(
    State(shared): State<Arc<Shared>>,
    caller: Result<Caller, ApiError>,
    Path(id): Path<String>,
    Query(params): Query<PageParams>,
) -> Response {
    match document_of(&shared, caller, &id, &params).await {
        Ok(response) => response,
        Err(e) => failed(e),
    }
}

async fn document_of(
    shared: &Shared,
    caller: Result<Caller, ApiError>,
    id: &str,
    params: &PageParams,
) -> Result<Response, ApiError> {
    let caller = caller?;
    let travel = time_travel(params, &format!("/documents/{id}"))?;
    let asked = asked_at(&travel);
    let trail = scoped_trail(shared, &caller, id, asked, "GET /documents/{id}").await?;
    let rows = trail
        .entries
        .iter()
        .map(|e| TrailRow {
            position: e.position,
            what: e.what.clone(),
            who: e.actor_name.clone().unwrap_or_else(|| e.actor.clone()),
            role: web::format::role(&e.role),
            effective: web::format::date(e.effective),
            recorded: web::format::moment(e.recorded_at),
            basis: e
                .basis
                .as_ref()
                .map(|b| {
                    let kind = match b.kind {
                        store::BasisKind::Order => "приказ",
                        store::BasisKind::Protocol => "протокол",
                    };
                    format!(
                        "{kind} № {} от {}, {}",
                        b.number,
                        web::format::date(b.date),
                        b.issuer
                    )
                })
                .unwrap_or_default(),
            comment: e.comment.clone().unwrap_or_default(),
            hash: e.hash.clone(),
        })
        .collect();
    let versions: Vec<VersionRow> = {
        let mut versions = Vec::new();
        for e in trail
            .entries
            .iter()
            .filter(|e| e.event_type == "DocumentVersionSubmitted")
        {
            let (Some(number), Some(hash)) = (e.document_version, e.content_hash.clone()) else {
                continue;
            };
            versions.push(VersionRow {
                number,
                submitted: web::format::date(e.effective),
                who: e.actor_name.clone().unwrap_or_else(|| e.actor.clone()),
                text_kept: shared.app.kept_text(&hash).await?.is_some(),
                hash,
            });
        }
        versions
    };
    let diff = compared(shared, &versions, params).await?;
    let holder = match DocumentId::parse(id) {
        Ok(document) => {
            let open_names = caller.principal.kind != AccountKind::Auditor;
            match shared
                .app
                .current_holder(document, asked, open_names)
                .await?
            {
                Some(holder) => {
                    let opened: Vec<String> = holder
                        .persons
                        .iter()
                        .filter(|(_, name)| name.is_some())
                        .map(|(person, _)| person.to_string())
                        .collect();
                    shared
                        .app
                        .record_access(
                            &caller.principal,
                            &opened,
                            &format!("GET /documents/{document}"),
                        )
                        .await?;
                    let persons: Vec<String> = holder
                        .persons
                        .into_iter()
                        .map(|(person, name)| name.unwrap_or_else(|| format!("person:{person}")))
                        .collect();
                    if persons.is_empty() {
                        format!("{} — никто не занимает эту роль", holder.role)
                    } else {
                        format!("{} — {}", holder.role, persons.join(", "))
                    }
                }
                None => String::new(),
            }
        }
        Err(_) => String::new(),
    };
    let page = DocumentPage {
        nav: nav(shared, &caller).await?,
        when: travel,
        title: trail.title,
        status: trail.status,
        chain: trail.chain,
        rows,
        verifies: trail.chain_verifies,
        verification: trail.verification,
        id: id.to_string(),
        holder,
        versions,
        diff,
    };
    Ok(page_or_file(
        &page,
        params.format.as_deref(),
        params.table.as_deref(),
        "document",
    ))
}

/// The difference the page shows: between the versions asked (`from`, `to`), else between
/// the last two; none while there is one version.
async fn compared(
    shared: &Shared,
    versions: &[VersionRow],
    params: &PageParams,
) -> Result<Option<VersionDiff>, ApiError> {
    let last = versions.len();
    if last < 2 {
        return Ok(None);
    }
    let from = params.from.unwrap_or(versions[last - 2].number);
    let to = params.to.unwrap_or(versions[last - 1].number);
    let hash_of = |n: u32| {
        versions
            .iter()
            .find(|v| v.number == n)
            .map(|v| v.hash.clone())
    };
    let (Some(before), Some(after)) = (hash_of(from), hash_of(to)) else {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "no_such_version",
            &format!("у документа нет версии {from} или {to}"),
        ));
    };
    let texts = (
        shared.app.kept_text(&before).await?,
        shared.app.kept_text(&after).await?,
    );
    Ok(Some(match texts {
        (Some(before), Some(after)) => VersionDiff {
            from,
            to,
            lines: web::diff::lines(&before, &after),
            missing: None,
        },
        _ => VersionDiff {
            from,
            to,
            lines: Vec::new(),
            missing: Some(
                "текст одной из версий не сохранён (подана с хешем, без текста): различия не \
                 показать, хеши — в таблице версий"
                    .into(),
            ),
        },
    }))
}

/// `GET /documents/{id}/sheet`: the approval sheet (лист согласования) as printed — the
/// route and every event with its signature line (position and hash), and the log's head.
pub(crate) async fn approval_sheet(
    State(shared): State<Arc<Shared>>,
    caller: Result<Caller, ApiError>,
    Path(id): Path<String>,
    Query(params): Query<PageParams>,
) -> Response {
    let printed = async {
        let caller = caller?;
        let travel = time_travel(&params, &format!("/documents/{id}/sheet"))?;
        let asked = asked_at(&travel);
        let trail = scoped_trail(&shared, &caller, &id, asked, "GET /documents/{id}/sheet").await?;
        let sheet = ApprovalSheet {
            id: id.clone(),
            title: trail.title,
            status: trail.status,
            chain: trail.chain,
            lines: trail
                .entries
                .into_iter()
                .map(|e| SignatureLine {
                    what: match e.comment {
                        Some(comment) => format!("{} «{comment}»", e.what),
                        None => e.what,
                    },
                    who: e.actor_name.unwrap_or(e.actor),
                    role: web::format::role(&e.role),
                    date: web::format::date(e.effective),
                    position: e.position,
                    hash: e.hash,
                })
                .collect(),
            verifies: trail.chain_verifies,
            verification: trail.verification,
            printed: web::format::moment(shared.app.clock()?.now()),
        };
        Ok::<_, ApiError>(html(sheet.render_page()))
    };
    match printed.await {
        Ok(response) => response,
        Err(e) => failed(e),
    }
}
