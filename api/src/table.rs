//! The role table: every route of the server, who may call it, what it does and what it
//! takes. The router (`routes.rs`), the OpenAPI document and the tests all read it, so a
//! route cannot be served, described or tested apart from the others.

use crate::auth::Access;

/// One row of the table.
#[derive(Debug, Clone, Copy)]
pub struct Route {
    pub method: &'static str,
    pub path: &'static str,
    pub access: Access,
    /// What it does, for the OpenAPI document.
    pub summary: &'static str,
    /// Its query parameters.
    pub query: &'static [&'static str],
}

const WHEN: &[&str] = &["as_of", "known_at"];
/// A page's: both dates, and a table of it as a file (`format=xlsx|csv`, `table`).
const PAGE: &[&str] = &["as_of", "known_at", "format", "table"];

/// The role table.
#[rustfmt::skip]
pub const ROUTES: &[Route] = &[
    Route { method: "GET", path: "/healthz", access: Access::Public, summary: "The process answers", query: &[] },
    Route { method: "GET", path: "/readyz", access: Access::Public, summary: "The store answers and the read models have caught up", query: &[] },
    Route { method: "GET", path: "/api/openapi.json", access: Access::Public, summary: "This API, OpenAPI 3.1", query: &[] },
    Route { method: "POST", path: "/api/login", access: Access::Public, summary: "Log in: {login, password}; sets the session cookie", query: &[] },
    Route { method: "POST", path: "/api/logout", access: Access::Authenticated, summary: "End this session on the server", query: &[] },
    Route { method: "GET", path: "/api/me", access: Access::Authenticated, summary: "Who is logged in, and their standing today", query: &[] },
    Route { method: "POST", path: "/api/commands", access: Access::Acting, summary: "Record one command (docs/commands.md); the actor is the logged-in account", query: &[] },
    Route { method: "GET", path: "/api/query/{name}", access: Access::Oversight, summary: "An oversight question at a point of both time axes, as JSON or CSV", query: &["as_of", "known_at", "district", "subject", "format"] },
    Route { method: "GET", path: "/api/inbox", access: Access::OwnInbox, summary: "What waits for the logged-in person", query: WHEN },
    Route { method: "GET", path: "/api/documents/{id}/trail", access: Access::Documents, summary: "A document's full history and whether the chain verifies", query: WHEN },
    Route { method: "GET", path: "/api/events", access: Access::Log, summary: "The log, paged by position", query: &["from", "limit"] },
    Route { method: "GET", path: "/api/verify", access: Access::Authenticated, summary: "Recompute the hash chain of the log", query: &[] },
    Route { method: "GET", path: "/api/access-journal", access: Access::AccessJournal, summary: "Who opened whose personal data, when, where", query: &["person"] },
    Route { method: "GET", path: "/api/audit/checkpoints", access: Access::Log, summary: "The checkpoints of the log signed for auditors", query: &[] },
    Route { method: "GET", path: "/api/documents/{id}/bundle", access: Access::Log, summary: "A document's offline audit bundle against the newest checkpoint (docs/audit.md)", query: &[] },
    Route { method: "POST", path: "/api/personal-data/erase", access: Access::Acting, summary: "Order the destruction of a person's personal data: {person, ground, effective?, order?}", query: &[] },
    Route { method: "GET", path: "/api/personal-data/{person}/act", access: Access::Acting, summary: "The act of destruction and its log extract (Roskomnadzor order No. 179)", query: &["format"] },
    // The pages (HTML, in Russian): whoever is not logged in is sent to «Вход».
    Route { method: "GET", path: "/", access: Access::Public, summary: "Page: the inbox of whoever is logged in, else «Вход»", query: &[] },
    Route { method: "GET", path: "/login", access: Access::Public, summary: "Page «Вход»", query: &[] },
    Route { method: "POST", path: "/login", access: Access::Public, summary: "Page «Вход», its form: login, password; sets the session cookie", query: &[] },
    Route { method: "POST", path: "/logout", access: Access::Authenticated, summary: "Page: end this session, then «Вход»", query: &[] },
    Route { method: "GET", path: "/inbox", access: Access::OwnInbox, summary: "Page «Мои задачи»: what waits for the logged-in person, with the decisions in place", query: &["as_of", "known_at", "done", "format", "table"] },
    Route { method: "GET", path: "/oversight/{name}", access: Access::Oversight, summary: "Page «Надзор»: an oversight question as a table, with the rules and clauses behind it", query: &["as_of", "known_at", "district", "subject", "first", "second", "format", "table"] },
    Route { method: "GET", path: "/associations/{id}", access: Access::Documents, summary: "Page «Объединение»: roles with their terms, members, meetings and documents of the school year, at a date on both axes", query: PAGE },
    Route { method: "GET", path: "/oversight/{name}/export", access: Access::Oversight, summary: "The table of «Надзор» as a file: XLSX (dates as dates) or CSV, with Russian headers", query: &["as_of", "known_at", "district", "subject", "first", "second", "format"] },
    Route { method: "GET", path: "/journal", access: Access::Log, summary: "Page «Журнал»: the log paged by position (as it stood at a date on both axes), and whether the chain verifies", query: &["from", "limit", "as_of", "known_at", "format", "table"] },
    Route { method: "GET", path: "/documents/{id}", access: Access::Documents, summary: "Page «Документ»: its state, route and whole history with hashes, and whether the chain verifies", query: &["as_of", "known_at", "from", "to", "format", "table"] },
    Route { method: "POST", path: "/documents/{id}/submit", access: Access::Acting, summary: "Page form: submit a version (text; the log keeps its SHA-256)", query: &[] },
    Route { method: "POST", path: "/documents/{id}/decide", access: Access::Acting, summary: "Page form: approve, return or reject the step (step, action, comment, protocol_number)", query: &[] },
    Route { method: "GET", path: "/regulation", access: Access::Authenticated, summary: "Page «Положение»: the municipality's regulation profile, rule by rule with its clause", query: PAGE },
    Route { method: "GET", path: "/registry", access: Access::Registry, summary: "Page «Реестр»: the forms of the registry, orders, appointments and elections, applications (forms 1 and 2), meetings and documents", query: &[] },
    Route { method: "GET", path: "/registry/{form}", access: Access::Registry, summary: "Page «Реестр» with one form; at a past date its lists are that day's and the form is dated it", query: &["done", "as_of", "known_at"] },
    Route { method: "POST", path: "/registry/{form}", access: Access::Registry, summary: "Page form: record the form's command as the logged-in account; a refusal comes back beside its field, nothing written", query: &[] },
    Route { method: "GET", path: "/documents/{id}/sheet", access: Access::Documents, summary: "Page: the approval sheet (лист согласования) for print, each line with its position and hash in the log and the log's head", query: WHEN },
    Route { method: "GET", path: "/meetings/{id}", access: Access::Documents, summary: "Page «Заседание»: agenda, attendance, questions and decisions, votes, the protocol; drafting (secretary) and signing (head) in place", query: &["as_of", "known_at", "done", "format", "table"] },
    Route { method: "GET", path: "/meetings/{id}/protocol", access: Access::Documents, summary: "Page: the meeting's protocol for print, each line with its position and hash in the log and the log's head", query: WHEN },
    Route { method: "POST", path: "/meetings/{id}/draft", access: Access::Acting, summary: "Page form: draft the protocol (number, text; the log keeps its SHA-256)", query: &[] },
    Route { method: "POST", path: "/meetings/{id}/sign", access: Access::Acting, summary: "Page form: sign the drafted protocol", query: &[] },
    Route { method: "GET", path: "/assets/{name}", access: Access::Public, summary: "An embedded asset of the pages", query: &[] },
];
