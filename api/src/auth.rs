//! Who is calling: the session cookie or a personal access token resolved to the account's
//! principal — never a field of the request — and, for a person, their standing today. Also
//! the check of unsafe methods against cross-site requests.

use std::sync::Arc;

use app::{AccountKind, Principal, Standing};
use axum::extract::FromRequestParts;
use axum::http::header::{AUTHORIZATION, COOKIE, HOST, ORIGIN};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode};

use crate::error::ApiError;
use crate::shared::Shared;

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, logged in or not: health, readiness, login, the OpenAPI document.
    Public,
    /// Any logged-in account.
    Authenticated,
    /// Accounts that act: persons (in the roles the rules find on the date) and the operator;
    /// an auditor only reads.
    Acting,
    /// A person's own inbox.
    OwnInbox,
    /// The oversight questions: officials of the education department and the methodical
    /// center.
    Oversight,
    /// A document's trail: the department and the center, the operator, the auditor (personal
    /// data sealed), and persons whose associations it belongs to or to whose city
    /// association's subject.
    Documents,
    /// The log itself: the operator and the auditor.
    Log,
    /// The journal of openings of personal data (152-FZ): officials of the department.
    AccessJournal,
    /// «Реестр», the forms that enter the registry and paper records: the operator, and the
    /// officials of the department and the methodical center (the rules decide each form).
    Registry,
}

/// The session cookie's name.
pub(crate) const SESSION_COOKIE: &str = "metod_session";

/// The logged-in caller of a request.
pub(crate) struct Caller {
    pub principal: Principal,
    /// The session's secret when the caller came with the cookie (logout ends it).
    pub session: Option<String>,
}

impl FromRequestParts<Arc<Shared>> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        shared: &Arc<Shared>,
    ) -> Result<Self, Self::Rejection> {
        if let Some(token) = bearer(parts) {
            let principal = shared.app.principal_of_access_token(&token).await?;
            return Ok(Caller {
                principal,
                session: None,
            });
        }
        let Some(session) = cookie(parts, SESSION_COOKIE) else {
            return Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "not_logged_in",
                "нужно войти в систему",
            ));
        };
        check_same_origin(&parts.method, &parts.headers)?;
        let principal = shared.app.session(&session).await?;
        Ok(Caller {
            principal,
            session: Some(session),
        })
    }
}

fn bearer(parts: &Parts) -> Option<String> {
    let value = parts.headers.get(AUTHORIZATION)?.to_str().ok()?;
    value
        .strip_prefix("Bearer ")
        .map(|token| token.trim().to_string())
}

/// The value of cookie `name`, if the request carries it.
pub(crate) fn cookie(parts: &Parts, name: &str) -> Option<String> {
    parts
        .headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_string())
}

/// An unsafe method that rides on the session cookie must come from this site: a browser
/// says so in `Sec-Fetch-Site`, or in `Origin` matching `Host`. A request with neither is
/// not a browser's, and a cookie is never sent by one on another site's behalf.
pub(crate) fn check_same_origin(method: &Method, headers: &HeaderMap) -> Result<(), ApiError> {
    let safe = matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS);
    if safe {
        return Ok(());
    }
    let refused = || {
        tracing::warn!(%method, "cross-site request refused");
        ApiError::new(
            StatusCode::FORBIDDEN,
            "cross_site_request",
            "запрос с другого сайта отклонён",
        )
    };
    if let Some(site) = headers.get("sec-fetch-site") {
        return match site.to_str().unwrap_or_default() {
            "same-origin" | "none" => Ok(()),
            _ => Err(refused()),
        };
    }
    let Some(origin) = headers.get(ORIGIN) else {
        return Ok(());
    };
    let host = headers
        .get(HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default();
    let origin = origin.to_str().unwrap_or_default();
    let origin_host = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"))
        .unwrap_or_default();
    if !host.is_empty() && origin_host == host {
        Ok(())
    } else {
        Err(refused())
    }
}

impl Caller {
    /// The person behind the account, if it is a person's.
    pub fn person(&self) -> Option<domain::ids::PersonId> {
        self.principal.person
    }

    /// The person's standing today (None for operators and auditors).
    pub async fn standing(&self, shared: &Shared) -> Result<Option<Standing>, ApiError> {
        let Some(person) = self.person() else {
            return Ok(None);
        };
        let today = shared.app.today()?;
        Ok(Some(shared.app.standing(person, today).await?))
    }

    /// Whether the caller may use a route of `access` at all; scoped routes check the
    /// subject further.
    pub async fn require(&self, access: Access, shared: &Shared) -> Result<(), ApiError> {
        if self.may(access, shared).await? {
            Ok(())
        } else {
            tracing::warn!(login = %self.principal.login, ?access, "refused by role");
            Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                "это недоступно вашей роли",
            ))
        }
    }

    /// Whether the role table lets the caller use a route of `access` (the menu shows only
    /// those).
    pub async fn may(&self, access: Access, shared: &Shared) -> Result<bool, ApiError> {
        let kind = self.principal.kind;
        let allowed = match access {
            Access::Public | Access::Authenticated => true,
            Access::Acting => matches!(kind, AccountKind::Person | AccountKind::Operator),
            Access::OwnInbox => kind == AccountKind::Person,
            Access::Oversight => match kind {
                AccountKind::Person => self
                    .standing(shared)
                    .await?
                    .is_some_and(|s| s.oversees_municipality()),
                _ => false,
            },
            Access::Documents => true,
            Access::Log => matches!(kind, AccountKind::Operator | AccountKind::Auditor),
            Access::Registry => match kind {
                AccountKind::Operator => true,
                AccountKind::Person => self
                    .standing(shared)
                    .await?
                    .is_some_and(|s| s.oversees_municipality()),
                AccountKind::Auditor => false,
            },
            Access::AccessJournal => match kind {
                AccountKind::Person => self
                    .standing(shared)
                    .await?
                    .is_some_and(|s| s.offices.contains(&domain::values::BodyKind::Department)),
                _ => false,
            },
        };
        Ok(allowed)
    }
}
