//! Every table a page shows, as the rows of its export: the same headers and cells, named so
//! that `?format=xlsx&table=<name>` on the page's address downloads it (CSV too).

use crate::meeting::MeetingPage;
use crate::pages::{
    AssociationPage, DocumentPage, InboxPage, JournalPage, OversightPage, RegulationPage,
};

/// A page: its HTML and its tables, so the server answers either from one address.
pub trait Page: Tables {
    fn html(&self) -> Result<String, crate::PageError>;
}

impl<T: Tables + askama::Template> Page for T {
    fn html(&self) -> Result<String, crate::PageError> {
        crate::pages::rendered(self)
    }
}

/// One table of a page: its name in the address, its title (the sheet's name), headers and
/// cells as shown.
#[derive(Debug, Clone)]
pub struct Table {
    pub name: &'static str,
    pub title: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// A page's tables.
pub trait Tables {
    fn tables(&self) -> Vec<Table>;

    /// The table `name`, or the page's first when no name is given.
    fn table(&self, name: Option<&str>) -> Option<Table> {
        let tables = self.tables();
        match name {
            Some(name) => tables.into_iter().find(|t| t.name == name),
            None => tables.into_iter().next(),
        }
    }
}

fn table(name: &'static str, title: &str, headers: &[&str], rows: Vec<Vec<String>>) -> Table {
    Table {
        name,
        title: title.to_string(),
        headers: headers.iter().map(|h| h.to_string()).collect(),
        rows,
    }
}

impl Tables for InboxPage {
    fn tables(&self) -> Vec<Table> {
        let rows = self
            .rows
            .iter()
            .map(|r| {
                vec![
                    r.title.clone(),
                    r.association.clone(),
                    r.what.clone(),
                    r.since.clone(),
                    r.due.clone(),
                    r.due_source.clone(),
                    r.overdue.clone(),
                ]
            })
            .collect();
        vec![table(
            "tasks",
            "Мои задачи",
            &[
                "Документ",
                "Объединение",
                "Что ждёт",
                "Ждёт с",
                "Срок",
                "Просрочка",
            ],
            rows,
        )]
    }
}

impl Tables for DocumentPage {
    fn tables(&self) -> Vec<Table> {
        let history = self
            .rows
            .iter()
            .map(|r| {
                vec![
                    r.position.to_string(),
                    r.what.clone(),
                    r.comment.clone(),
                    r.who.clone(),
                    r.role.clone(),
                    r.effective.clone(),
                    r.recorded.clone(),
                    r.basis.clone(),
                    r.hash.clone(),
                ]
            })
            .collect();
        let versions = self
            .versions
            .iter()
            .map(|v| {
                vec![
                    v.number.to_string(),
                    v.submitted.clone(),
                    v.who.clone(),
                    v.hash.clone(),
                ]
            })
            .collect();
        vec![
            table(
                "history",
                "История документа",
                &[
                    "№ в журнале",
                    "Что",
                    "Комментарий",
                    "Кто",
                    "Роль",
                    "Действует с",
                    "Записано",
                    "Основание",
                    "Хеш",
                ],
                history,
            ),
            table(
                "versions",
                "Версии документа",
                &["Версия", "Подана", "Кем", "SHA-256 текста"],
                versions,
            ),
        ]
    }
}

impl Tables for AssociationPage {
    fn tables(&self) -> Vec<Table> {
        let roles = self
            .roles
            .iter()
            .map(|(role, who, year)| vec![role.clone(), who.clone(), year.clone()])
            .collect();
        let meetings = self
            .meetings
            .iter()
            .map(|(_, date, state, attendance, protocol)| {
                vec![
                    date.clone(),
                    state.clone(),
                    attendance.to_string(),
                    protocol.clone(),
                ]
            })
            .collect();
        let documents = self
            .documents
            .iter()
            .map(|(_, title, kind, state)| vec![title.clone(), kind.clone(), state.clone()])
            .collect();
        vec![
            table(
                "roles",
                "Руководство",
                &["Роль", "Кто", "На учебный год"],
                roles,
            ),
            table(
                "members",
                "Участники",
                &["№", "Участник"],
                self.member_names
                    .iter()
                    .enumerate()
                    .map(|(i, name)| vec![(i + 1).to_string(), name.clone()])
                    .collect(),
            ),
            table(
                "meetings",
                "Заседания",
                &["Дата", "Состояние", "Присутствовали", "Протокол"],
                meetings,
            ),
            table(
                "documents",
                "Документы",
                &["Документ", "Вид", "Состояние"],
                documents,
            ),
        ]
    }
}

impl Tables for MeetingPage {
    fn tables(&self) -> Vec<Table> {
        let questions = self
            .meeting
            .questions
            .iter()
            .enumerate()
            .map(|(i, (q, d))| vec![(i + 1).to_string(), q.clone(), d.clone()])
            .collect();
        let events = self
            .meeting
            .lines
            .iter()
            .map(|l| {
                vec![
                    l.position.to_string(),
                    l.what.clone(),
                    l.who.clone(),
                    l.role.clone(),
                    l.date.clone(),
                    l.hash.clone(),
                ]
            })
            .collect();
        vec![
            table(
                "questions",
                "Вопросы и решения",
                &["№", "Вопрос", "Решение"],
                questions,
            ),
            table(
                "events",
                "События заседания",
                &["№ в журнале", "Что", "Кто", "Роль", "Дата", "Хеш"],
                events,
            ),
        ]
    }
}

impl Tables for JournalPage {
    fn tables(&self) -> Vec<Table> {
        let rows = self
            .rows
            .iter()
            .map(|r| {
                vec![
                    r.position.to_string(),
                    r.stream.clone(),
                    r.event_type.clone(),
                    r.effective.clone(),
                    r.recorded.clone(),
                    r.actor.clone(),
                    r.role.clone(),
                    r.hash.clone(),
                ]
            })
            .collect();
        vec![table(
            "events",
            "Журнал",
            &[
                "№",
                "Поток",
                "Событие",
                "Действует с",
                "Записано",
                "Кто",
                "Роль",
                "Хеш",
            ],
            rows,
        )]
    }
}

impl Tables for RegulationPage {
    fn tables(&self) -> Vec<Table> {
        let rows = self
            .topics
            .iter()
            .flat_map(|(topic, rules)| {
                rules
                    .iter()
                    .map(move |(rule, clause)| vec![topic.clone(), rule.clone(), clause.clone()])
            })
            .collect();
        vec![table(
            "rules",
            "Положение",
            &["Тема", "Правило", "Пункт"],
            rows,
        )]
    }
}

impl Tables for OversightPage {
    fn tables(&self) -> Vec<Table> {
        vec![Table {
            name: "report",
            title: self.title.clone(),
            headers: self.headers.clone(),
            rows: self.rows.clone(),
        }]
    }
}
