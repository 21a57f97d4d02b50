//! Failures as HTTP answers: a status and `{code, message, clause}` — a stable English code,
//! a Russian message, the clause of the rule where a rule refused.

use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

#[derive(Debug, Serialize)]
pub(crate) struct ApiError {
    #[serde(skip)]
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clause: Option<String>,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, code: &'static str, message: &str) -> Self {
        Self {
            status,
            code,
            message: message.to_string(),
            clause: None,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(self)).into_response()
    }
}

/// A query string the route does not take (an unknown parameter, a number that is not one).
pub(crate) fn rejected(rejection: axum::extract::rejection::QueryRejection) -> ApiError {
    ApiError::new(
        StatusCode::BAD_REQUEST,
        "invalid_query",
        &format!("неверные параметры запроса: {}", rejection.body_text()),
    )
}

/// The answer for a path no route serves.
pub(crate) async fn not_found() -> ApiError {
    ApiError {
        status: StatusCode::NOT_FOUND,
        code: "route_not_found",
        message: "нет такого адреса".into(),
        clause: None,
    }
}

/// How much of a plain-text failure is kept as its detail.
const DETAIL_LIMIT: usize = 4096;

/// Failures that axum and tower-http answer by themselves — a query string that does not
/// parse (plain text), a method a path does not serve (empty), a body over the limit (plain
/// text) — rewritten into the `{code, message}` every other failure has, so a client reads
/// one shape whatever refused it. Other headers (`Allow` of a 405) stay.
pub(crate) async fn json_failures(response: Response) -> Response {
    let status = response.status();
    let failed = status.is_client_error() || status.is_server_error();
    // a failure already answered as JSON, or as a page that says why, is kept as it is
    let answered = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json") || v.starts_with("text/html"));
    if !failed || answered {
        return response;
    }
    let (parts, body) = response.into_parts();
    let detail = axum::body::to_bytes(body, DETAIL_LIMIT)
        .await
        .map(|b| String::from_utf8_lossy(&b).trim().to_string())
        .unwrap_or_default();
    let (code, message) = match status {
        StatusCode::BAD_REQUEST => {
            match detail.strip_prefix("Failed to deserialize query string: ") {
                Some(why) => (
                    "invalid_query",
                    format!("неверные параметры запроса: {why}"),
                ),
                None => ("invalid_request", format!("неверный запрос: {detail}")),
            }
        }
        StatusCode::METHOD_NOT_ALLOWED => (
            "method_not_allowed",
            "этот адрес не принимает такой метод".to_string(),
        ),
        StatusCode::PAYLOAD_TOO_LARGE => {
            ("body_too_large", "тело запроса больше 1 МиБ".to_string())
        }
        _ => ("http_error", format!("ошибка HTTP {status}: {detail}")),
    };
    let mut answer = ApiError::new(status, code, &message).into_response();
    for (name, value) in &parts.headers {
        if name != CONTENT_TYPE && name != CONTENT_LENGTH {
            answer.headers_mut().append(name.clone(), value.clone());
        }
    }
    answer
}

impl From<app::AppError> for ApiError {
    fn from(e: app::AppError) -> Self {
        let status = status_of(&e);
        if status.is_server_error() {
            tracing::error!(code = e.code(), error = %e, "request failed");
        }
        if let app::AppError::Account(app::AccountError::LoginFailed(failed)) = &e {
            // the detail stays on the server: the answer is the same for a wrong login and a
            // wrong password
            tracing::warn!(
                login = %failed.login,
                client = %failed.client,
                known_login = failed.known_login,
                failures_by_login = failed.failures_by_login,
                failures_by_client = failed.failures_by_client,
                "login failed"
            );
        }
        ApiError {
            status,
            code: e.code(),
            message: e.to_string(),
            clause: clause_of(&e).map(|c| c.as_str().to_string()),
        }
    }
}

fn domain_of(e: &app::AppError) -> Option<&domain::DomainError> {
    use app::AppError as A;
    use commands::CommandError as C;
    use workflows::WorkflowError as W;
    match e {
        A::Command(C::Domain(d)) | A::Workflow(W::Domain(d)) => Some(d),
        A::Workflow(W::Command(C::Domain(d))) => Some(d),
        _ => None,
    }
}

fn clause_of(e: &app::AppError) -> Option<&domain::error::Clause> {
    domain_of(e).and_then(domain::DomainError::clause)
}

/// The status a failure is answered with: malformed input 400, not allowed 403, an unknown
/// id 404, a conflict retries could not settle 409, a rule refused 422, the store out of
/// reach 503, anything else 500.
fn status_of(e: &app::AppError) -> StatusCode {
    use app::AppError as A;
    use commands::CommandError as C;
    use domain::DomainError as D;
    use projections::ProjectionError as P;
    use store::StoreError as S;
    if let Some(d) = domain_of(e) {
        return match d {
            D::InvalidId { .. }
            | D::InvalidSchoolYear { .. }
            | D::InvalidMonthDay { .. }
            | D::InvalidClause { .. }
            | D::InvalidCategory { .. }
            | D::InvalidText { .. }
            | D::InvalidContentHash { .. } => StatusCode::BAD_REQUEST,
            D::NotFound { .. } => StatusCode::NOT_FOUND,
            D::NotAuthorized { .. } => StatusCode::FORBIDDEN,
            _ => StatusCode::UNPROCESSABLE_ENTITY,
        };
    }
    let store = match e {
        A::Store(s) | A::Command(C::Store(s)) => Some(s),
        _ => None,
    };
    if let Some(s) = store {
        return match s {
            S::Conflict { .. } => StatusCode::CONFLICT,
            S::Unreachable { .. } => StatusCode::SERVICE_UNAVAILABLE,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        };
    }
    match e {
        A::Account(account) => status_of_account(account.code()),
        A::PersonalData(personal) => match personal.code() {
            "erasure_not_authorized" => StatusCode::FORBIDDEN,
            "person_not_in_registry" | "personal_data_not_erased" => StatusCode::NOT_FOUND,
            "personal_data_already_erased" => StatusCode::CONFLICT,
            _ => StatusCode::UNPROCESSABLE_ENTITY,
        },
        A::Command(C::InvalidJson { .. }) => StatusCode::BAD_REQUEST,
        A::Command(C::TooManyConflicts { .. } | C::StaleExpectedVersion { .. }) => {
            StatusCode::CONFLICT
        }
        A::Projection(P::UnknownDistrict { .. } | P::UnknownSubject { .. }) => {
            StatusCode::BAD_REQUEST
        }
        A::NoMunicipality { .. } | A::NoSignedCheckpoint | A::DocumentNotInCheckpoint { .. } => {
            StatusCode::NOT_FOUND
        }
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// Accounts and sessions: not logged in 401, throttled 429, disabled 403.
fn status_of_account(code: &str) -> StatusCode {
    match code {
        "login_failed" | "session_unknown" | "session_expired" | "access_token_unknown" => {
            StatusCode::UNAUTHORIZED
        }
        "login_throttled" => StatusCode::TOO_MANY_REQUESTS,
        "account_disabled" => StatusCode::FORBIDDEN,
        "account_exists"
        | "access_token_exists"
        | "account_already_disabled"
        | "account_already_enabled" => StatusCode::CONFLICT,
        "account_unknown" | "person_not_in_registry" => StatusCode::NOT_FOUND,
        "password_hashing_failed" => StatusCode::INTERNAL_SERVER_ERROR,
        _ => StatusCode::BAD_REQUEST,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The conflicts retries could not settle: no request reaches them reliably (the handler
    /// retries sixteen times), so their answer is checked here.
    #[test]
    fn a_conflict_retries_could_not_settle_is_a_409_with_its_code() {
        let too_many = app::AppError::Command(commands::CommandError::TooManyConflicts {
            stream: "association-1".into(),
            attempts: 16,
        });
        let answer = ApiError::from(too_many);
        assert_eq!(answer.status, StatusCode::CONFLICT);
        assert_eq!(answer.code, "too_many_conflicts");
        assert!(answer.message.contains("повторите"), "{}", answer.message);
        let stale = app::AppError::Store(store::StoreError::Conflict {
            expected: store::ExpectedVersion::Exact(3),
            actual: 4,
        });
        let answer = ApiError::from(stale);
        assert_eq!(
            (answer.status, answer.code),
            (StatusCode::CONFLICT, "version_conflict")
        );
    }
}
