//! «Реестр»: the forms that enter the registry, orders, appointments and elections,
//! membership applications (002 forms 1 and 2), meetings and documents — for the operator,
//! who enters paper records, and the officials of the department and the methodical center.
//! A form is recorded as the logged-in account; a refusal by the rules comes back beside the
//! field it concerns, with its clause, and nothing is written.

use std::collections::BTreeMap;
use std::sync::Arc;

use app::AccountKind;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Form;
use domain::Acting;
use web::forms::{self, FieldError, Lists, Pick};
use web::{Notice, RegistryPage};

use super::{asked_at, failed, html, nav, redirect, refusal_text, time_travel, PageParams};
use crate::auth::{Access, Caller};
use crate::error::ApiError;
use crate::shared::Shared;

/// `GET /registry`: «Реестр» with its first form.
pub(crate) async fn registry_index(
    State(shared): State<Arc<Shared>>,
    caller: Result<Caller, ApiError>,
) -> Response {
    let first = forms::FORMS[0].slug;
    let travel = web::TimeTravel {
        path: format!("/registry/{first}"),
        ..web::TimeTravel::default()
    };
    match registry_of(&shared, caller, first, &BTreeMap::new(), None, None, travel).await {
        Ok(page) => page,
        Err(e) => failed(e),
    }
}

/// `GET /registry/{form}`: «Реестр» with the form `form`.
pub(crate) async fn registry_page(
    State(shared): State<Arc<Shared>>,
    caller: Result<Caller, ApiError>,
    Path(slug): Path<String>,
    Query(params): Query<PageParams>,
) -> Response {
    let notice = (params.done.as_deref() == Some("recorded")).then(|| Notice {
        refused: false,
        text: "Записано в журнал.".into(),
    });
    let travel = match time_travel(&params, &format!("/registry/{slug}")) {
        Ok(travel) => travel,
        Err(e) => return failed(e),
    };
    match registry_of(
        &shared,
        caller,
        &slug,
        &BTreeMap::new(),
        None,
        notice,
        travel,
    )
    .await
    {
        Ok(page) => page,
        Err(e) => failed(e),
    }
}

/// The page with `form` filled with `values`, and the refusal on its field.
async fn registry_of(
    shared: &Shared,
    caller: Result<Caller, ApiError>,
    slug: &str,
    values: &BTreeMap<String, String>,
    refused: Option<(FieldError, String)>,
    notice: Option<Notice>,
    travel: web::TimeTravel,
) -> Result<Response, ApiError> {
    let caller = caller?;
    caller.require(Access::Registry, shared).await?;
    let form = form_called(slug)?;
    let lists = lists_for(shared, &caller, &travel).await?;
    // a paper record of a past day: the form offers what existed then, dated that day
    let mut values = values.clone();
    if let Some(as_of) = travel.as_of {
        values
            .entry("effective".to_string())
            .or_insert_with(|| as_of.to_string());
    }
    let values = &values;
    let (error, notice) = match refused {
        Some((error, text)) => (
            Some(error),
            Some(Notice {
                refused: true,
                text,
            }),
        ),
        None => (None, notice),
    };
    let mut groups: Vec<(String, Vec<(String, String)>)> = Vec::new();
    for f in forms::FORMS {
        let entry = (f.slug.to_string(), f.title.to_string());
        match groups.last_mut() {
            Some((group, list)) if group == f.group => list.push(entry),
            _ => groups.push((f.group.to_string(), vec![entry])),
        }
    }
    let page = RegistryPage {
        nav: nav(shared, &caller).await?,
        groups,
        slug: form.slug.to_string(),
        title: form.title.to_string(),
        fields: forms::view(form, values, &lists, error.as_ref(), &mut || {
            uuid::Uuid::new_v4().to_string()
        }),
        notice,
        when: travel,
    };
    Ok(html(page.render_page()))
}

fn form_called(slug: &str) -> Result<&'static forms::Form, ApiError> {
    forms::form(slug).ok_or_else(|| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "unknown_form",
            &format!("в реестре нет формы «{slug}»"),
        )
    })
}

/// The lists the forms choose from, as the caller may see them (names opened are journaled).
async fn lists_for(
    shared: &Shared,
    caller: &Caller,
    travel: &web::TimeTravel,
) -> Result<Lists, ApiError> {
    let when = asked_at(travel);
    let lists = shared.app.registry_lists(when, true).await?;
    let whose: Vec<String> = lists.opened.iter().map(ToString::to_string).collect();
    shared
        .app
        .record_access(&caller.principal, &whose, "GET /registry")
        .await?;
    Ok(BTreeMap::from([
        (Pick::Municipality, lists.municipalities),
        (Pick::District, lists.districts),
        (Pick::Organization, lists.organizations),
        (Pick::Body, lists.bodies),
        (Pick::Association, lists.associations),
        (Pick::Person, lists.persons),
        (Pick::Meeting, lists.meetings),
    ]))
}

/// `POST /registry/{form}`: the form recorded as the logged-in account.
pub(crate) async fn registry_form(
    State(shared): State<Arc<Shared>>,
    caller: Result<Caller, ApiError>,
    Path(slug): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let caller = match caller {
        Ok(caller) => caller,
        Err(e) => return failed(e),
    };
    // a multiple choice comes as the same name repeated: its values one per line
    let mut values: BTreeMap<String, String> = BTreeMap::new();
    for (name, value) in pairs {
        let kept = values.entry(name).or_default();
        if !kept.is_empty() {
            kept.push('\n');
        }
        kept.push_str(&value);
    }
    match record(&shared, &caller, &slug, &values).await {
        Ok(()) => redirect(&format!("/registry/{slug}?done=recorded")),
        Err(Refused::Page(e)) => failed(e),
        Err(Refused::Field(error, text)) => {
            match registry_of(
                &shared,
                Ok(caller),
                &slug,
                &values,
                Some((error, text)),
                None,
                web::TimeTravel {
                    path: format!("/registry/{slug}"),
                    ..web::TimeTravel::default()
                },
            )
            .await
            {
                Ok(page) => (StatusCode::UNPROCESSABLE_ENTITY, page).into_response(),
                Err(e) => failed(e),
            }
        }
    }
}

/// Why a form was not recorded: a page of its own (no access, no such form), or the form
/// again with the refusal on a field.
enum Refused {
    Page(ApiError),
    Field(FieldError, String),
}

async fn record(
    shared: &Shared,
    caller: &Caller,
    slug: &str,
    values: &BTreeMap<String, String>,
) -> Result<(), Refused> {
    caller
        .require(Access::Registry, shared)
        .await
        .map_err(Refused::Page)?;
    let form = form_called(slug).map_err(Refused::Page)?;
    let command = forms::command(form, values).map_err(|e| {
        let text = format!("Не записано: «{}» — {}", label_of(form, e.field), e.message);
        Refused::Field(e, text)
    })?;
    let acting = match (caller.principal.kind, caller.person()) {
        (AccountKind::Operator, _) => Acting::Operator,
        (AccountKind::Person, Some(person)) => Acting::Person(person),
        _ => {
            return Err(Refused::Page(ApiError::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                "это недоступно вашей роли",
            )))
        }
    };
    let refused = |e: ApiError| {
        let text = refusal_text(&e);
        let field = forms::field_of_refusal(form, e.code, &e.message, values);
        Refused::Field(
            FieldError {
                field: field.unwrap_or(""),
                message: format!(
                    "{}{}",
                    e.message,
                    e.clause
                        .as_deref()
                        .map(|c| format!(" ({c})"))
                        .unwrap_or_default()
                ),
            },
            text,
        )
    };
    let recorded = shared
        .app
        .record(acting, &command.to_string())
        .await
        .map_err(|e| refused(ApiError::from(e)))?;
    match recorded.stopped {
        Some(stopped) => Err(refused(stopped.error.into())),
        None => Ok(()),
    }
}

fn label_of(form: &forms::Form, field: &str) -> &'static str {
    form.fields
        .iter()
        .find(|f| f.name == field)
        .map(|f| f.label)
        .unwrap_or("форма")
}

#[cfg(test)]
mod tests {
    use super::*;
    use web::forms::FieldKind;

    /// Every form, filled in as a person would, is a command the commands' parser takes: no
    /// field named otherwise than the command names it.
    #[test]
    fn every_form_makes_a_command_the_parser_takes() {
        let id = "7e57c0de-0000-4000-8000-000000000001";
        for form in forms::FORMS {
            let values: BTreeMap<String, String> = form
                .fields
                .iter()
                // one basis: the order
                .filter(|f| !f.name.starts_with("basis.") || f.name == "basis.order")
                .map(|f| {
                    let value = match f.kind {
                        FieldKind::Text => "текст".to_string(),
                        FieldKind::Lines => "первое\nвторое".to_string(),
                        FieldKind::Date => "2025-01-10".to_string(),
                        FieldKind::Number => "1".to_string(),
                        FieldKind::SchoolYear => "2024/25".to_string(),
                        FieldKind::Choice(choices) => choices[0].0.to_string(),
                        FieldKind::Pick(_) | FieldKind::Id | FieldKind::NewId => id.to_string(),
                        FieldKind::Persons => format!("{id}\n7e57c0de-0000-4000-8000-000000000002"),
                        FieldKind::Fixed(_) => String::new(),
                        FieldKind::Questions => "О плане — Согласовать".to_string(),
                    };
                    (f.name.to_string(), value)
                })
                .collect();
            let command = forms::command(form, &values).expect("filled");
            let today = chrono::NaiveDate::from_ymd_opt(2025, 1, 20).expect("date");
            let parsed = commands::parse_submissions(&command.to_string(), Acting::Operator, today);
            assert!(
                parsed.is_ok(),
                "{}: {command} — {:?}",
                form.slug,
                parsed.err()
            );
        }
    }
}
