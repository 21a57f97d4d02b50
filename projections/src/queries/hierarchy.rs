//! The hierarchy: every association on the date with its office holders and its number of
//! members.

use serde_json::{json, Value};

use domain::ids::PersonId;
use domain::values::AssociationRole;
use store::MetodStore;

use crate::error::ProjectionError;
use crate::snapshot::{Needs, Snapshot};

use super::{clauses_of, columns, report, row, Names, QueryKind, Question, Report, RuleApplied};

/// The tree: every association on the date with its head, secretary, curator and members.
pub async fn hierarchy(
    store: &dyn MetodStore,
    question: &Question<'_>,
) -> Result<Report, ProjectionError> {
    let needs = Needs {
        roles: true,
        member_counts: true,
        ..Needs::default()
    };
    let mut snapshot = Snapshot::load(store, question.at, needs).await?;
    snapshot.load_organizations_placing(store).await?;
    snapshot
        .members_from_registry(store, question.profile)
        .await?;
    // the holders' names are kept on their roles: no person facts to read
    let holders: Vec<PersonId> = snapshot.roles.values().map(|r| r.person).collect();
    let names = Names::load(store, &snapshot, holders).await?;
    let profile = question.profile;
    let rules = vec![
        RuleApplied {
            clause: profile.structure.levels_clause.to_string(),
            rule: "уровни объединений".into(),
        },
        RuleApplied {
            clause: profile.structure.created_by_clause.to_string(),
            rule: "объединения создаются, реорганизуются и ликвидируются приказом".into(),
        },
    ];
    let clauses = clauses_of(&rules);
    let mut rows = Vec::new();
    for association in question.associations(&snapshot) {
        let id = association.association;
        let city = association
            .city_association
            .and_then(|c| snapshot.associations.get(&c))
            .map(|c| Value::String(c.title.clone()))
            .unwrap_or(Value::Null);
        rows.push(row(vec![
            ("association", json!(id)),
            ("level", json!(association.level.in_russian())),
            ("subject", json!(association.subject.as_str())),
            (
                "district",
                json!(snapshot.district_title(snapshot.district_of(association))),
            ),
            ("title", json!(association.title)),
            ("kind", json!(association.kind.in_russian())),
            ("city_association", city),
            ("head", names.of(snapshot.holder(id, AssociationRole::Head))),
            (
                "secretary",
                names.of(snapshot.holder(id, AssociationRole::Secretary)),
            ),
            (
                "curator",
                names.of(snapshot.holder(id, AssociationRole::Curator)),
            ),
            (
                "members",
                json!(snapshot.member_counts.get(&id).copied().unwrap_or(0)),
            ),
            ("head_id", json!(snapshot.holder(id, AssociationRole::Head))),
            (
                "secretary_id",
                json!(snapshot.holder(id, AssociationRole::Secretary)),
            ),
            (
                "curator_id",
                json!(snapshot.holder(id, AssociationRole::Curator)),
            ),
            ("clause", json!(clauses)),
        ]));
    }
    let answer = report(
        QueryKind::Hierarchy,
        "Структура методических объединений",
        question,
        rules,
        columns(&[
            ("level", "Уровень"),
            ("subject", "Предмет"),
            ("district", "Район"),
            ("title", "Объединение"),
            ("kind", "Вид"),
            ("city_association", "Городское объединение"),
            ("head", "Руководитель"),
            ("secretary", "Секретарь"),
            ("curator", "Куратор"),
            ("members", "Членов"),
            ("clause", "Пункт"),
        ]),
        rows,
    );
    Ok(answer.opened_by(&names))
}
