//! The pages (`web`): the same application layer and role table as the JSON API, answered as
//! HTML. Whoever is not logged in is sent to «Вход»; a refusal is a page that says why, with
//! the rule's clause; a decision taken on a page is recorded as the logged-in person, and
//! then the page it came from is shown again (post, redirect, get).

use std::net::SocketAddr;
use std::sync::Arc;

use app::AccountKind;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, LOCATION, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::Form;
use chrono::NaiveDateTime;
use domain::ids::DocumentId;
use domain::Acting;
use projections::queries::{cell_text, Filters, QueryKind};
use serde::Deserialize;
use serde_json::{json, Value};
use web::{
    DocumentPage, InboxPage, InboxRow, JournalPage, LogRow, LoginPage, Notice, OversightPage,
    QuestionTab, TimeTravel, TrailRow,
};

use crate::auth::{Access, Caller};
use crate::error::ApiError;
use crate::handlers::answers::{scoped_trail, when};
use crate::handlers::session::{retry_after, session_cookie, SESSION_SECONDS};
use crate::shared::Shared;

/// A page's answer when it cannot show what was asked: «Вход» for whoever is not logged in,
/// else a page with the status, the message and the clause.
fn failed(e: ApiError) -> Response {
    if e.status == StatusCode::UNAUTHORIZED {
        return redirect("/login");
    }
    let clause = e
        .clause
        .as_deref()
        .map(|c| format!(" ({c})"))
        .unwrap_or_default();
    let title = match e.status {
        StatusCode::FORBIDDEN => "Нет доступа",
        StatusCode::NOT_FOUND => "Не найдено",
        s if s.is_client_error() => "Запрос не принят",
        _ => "Ошибка сервера",
    };
    let page = web::pages::ErrorPage {
        title: title.into(),
        message: format!("{}{clause}", e.message),
        code: e.code.into(),
    };
    match page.render_page() {
        Ok(html) => (e.status, Html(html)).into_response(),
        Err(why) => (StatusCode::INTERNAL_SERVER_ERROR, why.to_string()).into_response(),
    }
}

fn redirect(to: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(value) = HeaderValue::from_str(to) {
        response.headers_mut().insert(LOCATION, value);
    }
    response
}

fn html(page: Result<String, web::PageError>) -> Response {
    match page {
        Ok(html) => {
            let mut response = Html(html).into_response();
            // a page shows one person's data: never kept by a shared cache
            response
                .headers_mut()
                .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
            response
        }
        Err(why) => failed(ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "render_failed",
            &why.to_string(),
        )),
    }
}

/// `GET /`: the inbox of whoever is logged in, «Вход» otherwise.
pub(crate) async fn index(caller: Result<Caller, ApiError>) -> Response {
    match caller {
        Ok(caller) if caller.principal.kind == AccountKind::Person => redirect("/inbox"),
        // the operator and the auditor: the log
        Ok(_) => redirect("/journal"),
        Err(_) => redirect("/login"),
    }
}

/// `GET /login`.
pub(crate) async fn login_page() -> Response {
    html(
        LoginPage {
            login: String::new(),
            error: None,
        }
        .render_page(),
    )
}

#[derive(Deserialize)]
pub(crate) struct LoginForm {
    login: String,
    password: String,
}

/// `POST /login`: the form of «Вход»; a failure shows the form again with why.
pub(crate) async fn login_form(
    State(shared): State<Arc<Shared>>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    // a login from another site would log the browser in as someone else
    if let Err(e) = crate::auth::check_same_origin(&axum::http::Method::POST, &headers) {
        return failed(e);
    }
    match shared
        .app
        .login(&form.login, &form.password, &client.ip().to_string())
        .await
    {
        Ok(session) => {
            let mut response = redirect("/");
            response.headers_mut().insert(
                SET_COOKIE,
                session_cookie(&session.token, SESSION_SECONDS, shared.secure_cookies),
            );
            response
        }
        Err(e) => {
            let retry = retry_after(&e);
            let e = ApiError::from(e);
            let error = match retry {
                Some(seconds) => format!("{} Повторите через {seconds} с.", e.message),
                None => e.message,
            };
            let page = LoginPage {
                login: form.login,
                error: Some(error),
            };
            (e.status, html(page.render_page())).into_response()
        }
    }
}

/// `POST /logout`: ends the session on the server, then «Вход».
pub(crate) async fn logout_form(
    State(shared): State<Arc<Shared>>,
    caller: Result<Caller, ApiError>,
) -> Response {
    let caller = match caller {
        Ok(caller) => caller,
        Err(e) => return failed(e),
    };
    if let Some(session) = &caller.session {
        if let Err(e) = shared.app.logout(session).await {
            return failed(e.into());
        }
    }
    let mut response = redirect("/login");
    response
        .headers_mut()
        .insert(SET_COOKIE, session_cookie("", 0, shared.secure_cookies));
    response
}

#[derive(Deserialize, Default)]
pub(crate) struct PageParams {
    as_of: Option<String>,
    known_at: Option<String>,
    notice: Option<String>,
}

/// The dates a page's form sends: empty means today; «по сведениям на» comes from a
/// `datetime-local` field (`YYYY-MM-DDTHH:MM`, read as UTC) or as the API takes it.
fn time_travel(params: &PageParams, path: &str) -> Result<TimeTravel, ApiError> {
    fn filled(v: &Option<String>) -> Option<&str> {
        v.as_deref().map(str::trim).filter(|v| !v.is_empty())
    }
    let local = filled(&params.known_at)
        .and_then(|t| NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M").ok())
        .map(|t| t.and_utc());
    let asked = when(
        filled(&params.as_of),
        if local.is_some() {
            None
        } else {
            filled(&params.known_at)
        },
    )?;
    Ok(TimeTravel {
        as_of: asked.as_of,
        known_at: local.or(asked.known_at),
        path: path.to_string(),
    })
}

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
    let items = shared
        .app
        .inbox(
            person,
            app::When {
                as_of: travel.as_of,
                known_at: travel.known_at,
            },
        )
        .await?;
    let notice = refusal.or_else(|| {
        params.notice.as_deref().map(|text| Notice {
            refused: false,
            text: text.to_string(),
        })
    });
    let page = InboxPage {
        who: caller.principal.login.clone(),
        rows: items.iter().map(InboxRow::from).collect(),
        when: travel,
        notice,
    };
    Ok(html(page.render_page()))
}

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
    let asked = app::When {
        as_of: travel.as_of,
        known_at: travel.known_at,
    };
    let trail = scoped_trail(shared, &caller, id, asked, "GET /documents/{id}").await?;
    let rows = trail
        .entries
        .iter()
        .map(|e| TrailRow {
            position: e.position,
            what: e.what.clone(),
            who: e.actor_name.clone().unwrap_or_else(|| e.actor.clone()),
            role: e.role.clone(),
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
    let page = DocumentPage {
        who: caller.principal.login.clone(),
        when: travel,
        title: trail.title,
        status: trail.status,
        chain: trail.chain,
        rows,
        verifies: trail.chain_verifies,
        verification: trail.verification,
    };
    Ok(html(page.render_page()))
}

/// The questions of «Надзор», with their tabs' labels.
const QUESTIONS: [(QueryKind, &str); 6] = [
    (QueryKind::Late, "Просроченные и застрявшие документы"),
    (QueryKind::Meetings, "Мало заседаний"),
    (
        QueryKind::Eligibility,
        "Требования к руководителям и кураторам",
    ),
    (QueryKind::MemberDb, "Базы участников не обновлены"),
    (QueryKind::Indicators, "Показатели"),
    (QueryKind::Hierarchy, "Структура объединений"),
];

#[derive(Deserialize, Default)]
pub(crate) struct OversightParams {
    as_of: Option<String>,
    known_at: Option<String>,
    district: Option<String>,
    subject: Option<String>,
}

/// `GET /oversight/{name}`: «Надзор» — an oversight question as a table, for the department
/// and the methodical center.
pub(crate) async fn oversight_page(
    State(shared): State<Arc<Shared>>,
    caller: Result<Caller, ApiError>,
    Path(name): Path<String>,
    Query(params): Query<OversightParams>,
) -> Response {
    match oversight_of(&shared, caller, &name, params).await {
        Ok(response) => response,
        Err(e) => failed(e),
    }
}

async fn oversight_of(
    shared: &Shared,
    caller: Result<Caller, ApiError>,
    name: &str,
    params: OversightParams,
) -> Result<Response, ApiError> {
    let caller = caller?;
    caller.require(Access::Oversight, shared).await?;
    let kind: QueryKind = name.parse().map_err(|_| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "unknown_query",
            &format!("нет вопроса «{name}»"),
        )
    })?;
    let dates = PageParams {
        as_of: params.as_of,
        known_at: params.known_at,
        notice: None,
    };
    let travel = time_travel(&dates, &format!("/oversight/{name}"))?;
    let filled = |v: Option<String>| v.map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
    let filters = Filters {
        district: filled(params.district),
        subject: filled(params.subject),
    };
    let report = shared
        .app
        .query(
            kind,
            app::When {
                as_of: travel.as_of,
                known_at: travel.known_at,
            },
            filters.clone(),
        )
        .await?;
    let whose: Vec<String> = report.opened.iter().map(ToString::to_string).collect();
    shared
        .app
        .record_access(&caller.principal, &whose, &format!("GET /oversight/{name}"))
        .await?;
    let page = OversightPage {
        who: caller.principal.login.clone(),
        when: travel,
        tabs: QUESTIONS
            .iter()
            .map(|(question, label)| QuestionTab {
                name: question.name().to_string(),
                label: (*label).to_string(),
                current: *question == kind,
            })
            .collect(),
        question: kind.name().to_string(),
        title: report.title.clone(),
        rules: report
            .rules
            .iter()
            .map(|r| (r.clause.clone(), r.rule.clone()))
            .collect(),
        headers: report
            .columns
            .iter()
            .map(|c| c.header.to_string())
            .collect(),
        rows: report
            .rows
            .iter()
            .map(|row| {
                report
                    .columns
                    .iter()
                    .map(|c| cell_text(row.get(c.key)))
                    .collect()
            })
            .collect(),
        no_rule: report.no_rule_text(),
        district: filters.district.unwrap_or_default(),
        subject: filters.subject.unwrap_or_default(),
    };
    Ok(html(page.render_page()))
}

#[derive(Deserialize, Default)]
pub(crate) struct JournalParams {
    from: Option<u64>,
    limit: Option<usize>,
}

/// `GET /journal`: «Журнал» — the log paged by position, and whether the chain verifies, for
/// the operator and the auditor.
pub(crate) async fn journal_page(
    State(shared): State<Arc<Shared>>,
    caller: Result<Caller, ApiError>,
    Query(params): Query<JournalParams>,
) -> Response {
    match journal_of(&shared, caller, params).await {
        Ok(response) => response,
        Err(e) => failed(e),
    }
}

async fn journal_of(
    shared: &Shared,
    caller: Result<Caller, ApiError>,
    params: JournalParams,
) -> Result<Response, ApiError> {
    let caller = caller?;
    caller.require(Access::Log, shared).await?;
    let limit = params.limit.unwrap_or(50).clamp(1, 1_000);
    let from = params.from.unwrap_or(1).max(1);
    let events = shared
        .app
        .events(&app::EventsPage {
            stream: None,
            from,
            limit,
        })
        .await?;
    let verification = shared.app.verify_since_last().await?;
    let (verifies, verification) = match verification {
        store::Verification::Intact { events, head } => (
            true,
            format!("событий {events}, последний хеш {}", hex_of(&head)),
        ),
        store::Verification::Broken { position, reason } => {
            (false, format!("позиция {position}: {reason}"))
        }
    };
    let next = (events.len() == limit).then(|| from + limit as u64);
    let rows = events
        .iter()
        .map(|e| LogRow {
            position: e.position,
            stream: e.stream.to_string(),
            event_type: e.event_type.clone(),
            effective: web::format::date(e.effective),
            recorded: web::format::moment(e.recorded_at),
            actor: e.actor.id.clone(),
            role: e.actor.role.clone(),
            hash: hex_of(&e.hash),
        })
        .collect();
    let page = JournalPage {
        who: caller.principal.login.clone(),
        rows,
        verifies,
        verification,
        previous: (from > 1).then(|| from.saturating_sub(limit as u64).max(1)),
        next,
        limit,
    };
    Ok(html(page.render_page()))
}

fn hex_of(hash: &[u8]) -> String {
    hex::encode(hash)
}

#[derive(Deserialize)]
pub(crate) struct DecisionForm {
    step: u32,
    action: String,
    #[serde(default)]
    comment: String,
    #[serde(default)]
    protocol_number: String,
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
        Ok(done) => redirect(&format!("/inbox?notice={}", urlencoded(&done))),
        Err(e)
            if e.status == StatusCode::UNPROCESSABLE_ENTITY || e.status == StatusCode::CONFLICT =>
        {
            let clause = e
                .clause
                .as_deref()
                .map(|c| format!(" ({c})"))
                .unwrap_or_default();
            let refusal = Notice {
                refused: true,
                text: format!("Не записано: {}{clause}", e.message),
            };
            match inbox_of(&shared, Ok(caller), &PageParams::default(), Some(refusal)).await {
                Ok(page) => (e.status, page).into_response(),
                Err(e) => failed(e),
            }
        }
        Err(e) => failed(e),
    }
}

async fn decide(
    shared: &Shared,
    caller: &Caller,
    id: &str,
    form: &DecisionForm,
) -> Result<String, ApiError> {
    caller.require(Access::Acting, shared).await?;
    let Some(person) = caller.person() else {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "решения принимают лица",
        ));
    };
    let document = DocumentId::parse(id)
        .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, e.code(), &e.to_string()))?;
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
            (command, "Шаг согласован.")
        }
        "return" => (
            json!({ "command": "return_document", "document": document, "step": form.step, "comment": comment }),
            "Документ возвращён на доработку.",
        ),
        "reject" => (
            json!({ "command": "reject_document", "document": document, "step": form.step, "reason": comment }),
            "Документ отклонён.",
        ),
        other => {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid_action",
                &format!("неизвестное действие «{other}»"),
            ))
        }
    };
    let recorded = shared
        .app
        .record(Acting::Person(person), &command.to_string())
        .await?;
    if let Some(stopped) = recorded.stopped {
        return Err(stopped.error.into());
    }
    Ok(done.to_string())
}

/// A query-string value, percent-encoded.
fn urlencoded(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// `GET /assets/{name}`: an embedded asset.
pub(crate) async fn asset(Path(name): Path<String>) -> Response {
    match web::assets::asset(&name) {
        Some(asset) => {
            let mut response = asset.body.into_response();
            response
                .headers_mut()
                .insert(CONTENT_TYPE, HeaderValue::from_static(asset.content_type));
            response.headers_mut().insert(
                CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=3600"),
            );
            response
        }
        None => failed(ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            &format!("нет файла «{name}»"),
        )),
    }
}
