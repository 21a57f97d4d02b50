//! Value types of the regulations: clause references, qualification categories, subjects,
//! association levels and kinds, positions, bodies, document types. Each one is parsed once,
//! at the edge, and trusted afterwards.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::DomainError;

pub use crate::error::Clause;

/// A qualification category level (квалификационная категория).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CategoryLevel {
    /// Без категории.
    None,
    /// Первая квалификационная категория.
    First,
    /// Высшая квалификационная категория.
    Highest,
}

impl CategoryLevel {
    pub fn in_russian(self) -> &'static str {
        match self {
            CategoryLevel::None => "без категории",
            CategoryLevel::First => "первая",
            CategoryLevel::Highest => "высшая",
        }
    }
}

/// A person's qualification category with the date it was granted (none has no date).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    pub level: CategoryLevel,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub granted: Option<NaiveDate>,
}

impl Category {
    pub fn none() -> Self {
        Self {
            level: CategoryLevel::None,
            granted: None,
        }
    }

    pub fn granted(level: CategoryLevel, on: NaiveDate) -> Result<Self, DomainError> {
        if level == CategoryLevel::None {
            return Err(DomainError::InvalidCategory {
                reason: "у отсутствующей категории нет даты присвоения".into(),
            });
        }
        Ok(Self {
            level,
            granted: Some(on),
        })
    }

    /// Checks the pairing of level and date (a category is granted on a date; none is not).
    pub fn validate(&self) -> Result<(), DomainError> {
        match (self.level, self.granted) {
            (CategoryLevel::None, Some(_)) => Err(DomainError::InvalidCategory {
                reason: "у отсутствующей категории нет даты присвоения".into(),
            }),
            (CategoryLevel::First | CategoryLevel::Highest, None) => {
                Err(DomainError::InvalidCategory {
                    reason: "для первой и высшей категории нужна дата присвоения".into(),
                })
            }
            _ => Ok(()),
        }
    }
}

/// The subject or direction of an association (предмет, направление), e.g. «математика».
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Subject(String);

impl Subject {
    pub fn parse(text: &str) -> Result<Self, DomainError> {
        let text = text.trim();
        if text.is_empty() || text.chars().count() > 200 {
            return Err(DomainError::InvalidText {
                field: "предмет (направление)",
                reason: "нужно от 1 до 200 символов".into(),
            });
        }
        Ok(Self(text.to_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for Subject {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Subject {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// Checks a free-text field: trimmed, non-empty, bounded.
pub fn required_text(
    field: &'static str,
    text: &str,
    max_chars: usize,
) -> Result<String, DomainError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(DomainError::InvalidText {
            field,
            reason: "поле не может быть пустым".into(),
        });
    }
    if text.chars().count() > max_chars {
        return Err(DomainError::InvalidText {
            field,
            reason: format!("не более {max_chars} символов"),
        });
    }
    Ok(text.to_string())
}

/// The level an association works at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Школьное МО (inside one organization).
    School,
    /// Районное МО (РПМО): one district of a city.
    District,
    /// Городское или муниципальное (ГПМО, ГМО, ММО): the whole municipality.
    City,
}

impl Level {
    pub fn in_russian(self) -> &'static str {
        match self {
            Level::School => "школьный",
            Level::District => "районный",
            Level::City => "городской (муниципальный)",
        }
    }
}

/// Whether a working group's membership is fixed or changes (003 §IV).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupMembership {
    Permanent,
    Rotating,
}

/// The kind of a professional association (003 §IV; 004 §8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AssociationKind {
    /// Методическое объединение.
    MethodicalAssociation,
    /// Профессиональная ассоциация / творческое объединение.
    ProfessionalAssociation,
    /// Рабочая / проблемная группа (фокус-группа).
    WorkingGroup,
    /// Муниципальная творческая лаборатория.
    CreativeLab,
    /// Профессиональное экспертное сообщество.
    ExpertCommunity,
}

impl AssociationKind {
    pub fn in_russian(self) -> &'static str {
        match self {
            AssociationKind::MethodicalAssociation => "методическое объединение",
            AssociationKind::ProfessionalAssociation => {
                "профессиональная ассоциация / творческое объединение"
            }
            AssociationKind::WorkingGroup => "рабочая / проблемная группа",
            AssociationKind::CreativeLab => "творческая лаборатория",
            AssociationKind::ExpertCommunity => "экспертное сообщество",
        }
    }
}

/// What a person's position is, as far as the rules care (003 §7.2 lets a deputy head or a
/// head of a unit curate; 002 §5.3 a specialist of the Center). The position's own title is
/// personal data and lives in the vault.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PositionKind {
    /// Педагогический работник.
    Teacher,
    /// Методист.
    Methodist,
    /// Специалист методического центра.
    CenterSpecialist,
    /// Руководитель структурного подразделения.
    HeadOfUnit,
    /// Заместитель руководителя.
    DeputyHead,
    /// Руководитель организации (директор, заведующий).
    Director,
    /// Должностное лицо органа управления образованием.
    Official,
}

impl PositionKind {
    pub fn in_russian(self) -> &'static str {
        match self {
            PositionKind::Teacher => "педагогический работник",
            PositionKind::Methodist => "методист",
            PositionKind::CenterSpecialist => "специалист методического центра",
            PositionKind::HeadOfUnit => "руководитель структурного подразделения",
            PositionKind::DeputyHead => "заместитель руководителя",
            PositionKind::Director => "руководитель организации",
            PositionKind::Official => "должностное лицо органа управления образованием",
        }
    }
}

/// The kind of an educational or municipal organization.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrganizationKind {
    School,
    Kindergarten,
    AdditionalEducation,
    /// A municipal institution (a methodical center, a curating institution).
    MunicipalInstitution,
}

/// The kind of a body that acts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BodyKind {
    /// Департамент / комитет / управление образования.
    Department,
    /// Районный отдел образования.
    DistrictDepartment,
    /// Муниципальная методическая служба / методический центр.
    MethodicalCenter,
    /// Координационный совет ММС (000 §1.4, §4.2).
    CoordinationCouncil,
    /// Организационно-методический совет (000 §4.7).
    OrganizationalMethodicalCouncil,
    /// Научно-методический совет (003 §7.8).
    ScientificMethodicalCouncil,
    /// Методический совет Центра (002 §5.1).
    MethodicalCouncil,
    /// The institution that curates an association (003 §7.2).
    CuratingInstitution,
    /// The administration of one educational organization (its head's orders), for
    /// school-level associations (004 §7).
    OrganizationAdministration,
}

impl BodyKind {
    pub fn in_russian(self) -> &'static str {
        match self {
            BodyKind::Department => "орган управления образованием",
            BodyKind::DistrictDepartment => "районный отдел образования",
            BodyKind::MethodicalCenter => "методический центр",
            BodyKind::CoordinationCouncil => "координационный совет",
            BodyKind::OrganizationalMethodicalCouncil => "организационно-методический совет",
            BodyKind::ScientificMethodicalCouncil => "научно-методический совет",
            BodyKind::MethodicalCouncil => "методический совет центра",
            BodyKind::CuratingInstitution => "курирующее учреждение",
            BodyKind::OrganizationAdministration => "администрация образовательной организации",
        }
    }

    pub fn is_council(self) -> bool {
        matches!(
            self,
            BodyKind::CoordinationCouncil
                | BodyKind::OrganizationalMethodicalCouncil
                | BodyKind::ScientificMethodicalCouncil
                | BodyKind::MethodicalCouncil
        )
    }
}

/// An office a person holds in a body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Office {
    /// Руководитель (начальник, председатель, директор).
    Chief,
    /// Заместитель руководителя (заместитель председателя).
    DeputyChief,
    /// Ответственный специалист.
    Specialist,
    /// Член совета.
    CouncilMember,
}

impl Office {
    /// Whether the office may sign orders of its body.
    pub fn signs_orders(self) -> bool {
        matches!(self, Office::Chief | Office::DeputyChief)
    }

    pub fn in_russian(self) -> &'static str {
        match self {
            Office::Chief => "руководитель",
            Office::DeputyChief => "заместитель руководителя",
            Office::Specialist => "ответственный специалист",
            Office::CouncilMember => "член совета",
        }
    }
}

/// Приказ or распоряжение.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderKind {
    Order,
    Directive,
}

impl OrderKind {
    pub fn in_russian(self) -> &'static str {
        match self {
            OrderKind::Order => "приказ",
            OrderKind::Directive => "распоряжение",
        }
    }
}

/// The documents an association keeps (000 §4.5, §10.3; 002 §8.1; 003 §7.10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentType {
    /// Техническое задание (002 §5.7).
    TechnicalAssignment,
    /// План работы / дорожная карта (000 §4.7, §10.5; 002 §5.8; 003 §7.9).
    WorkPlan,
    /// Анализ работы за прошедший учебный год (000 §4.7; 002 §5.12; 003 §7.8).
    AnnualAnalysis,
    /// Отчёт куратора о деятельности за год (002 §5.13).
    CuratorYearlyReport,
    /// Отчёт о сетевом событии (002 §5.11).
    NetworkEventReport,
    /// Кандидатура на роль (руководитель, куратор), которая идёт по цепочке к приказу
    /// (000 §4.2: рассмотрение Координационным советом, утверждение приказом КОиН).
    Nomination,
}

impl DocumentType {
    pub fn in_russian(self) -> &'static str {
        match self {
            DocumentType::TechnicalAssignment => "техническое задание",
            DocumentType::WorkPlan => "план работы (дорожная карта)",
            DocumentType::AnnualAnalysis => "анализ работы за учебный год",
            DocumentType::CuratorYearlyReport => "отчёт куратора за год",
            DocumentType::NetworkEventReport => "отчёт о сетевом событии",
            DocumentType::Nomination => "кандидатура на назначение",
        }
    }
}

/// A step of a teacher's professional growth that the effectiveness indicators of 001
/// §4.1.2–4.1.3 count, recorded by the association for a school year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DevelopmentMilestone {
    /// Passed the diagnostics of professional competences.
    Diagnostics,
    /// Completed a further-training programme from the federal register, chosen after the
    /// diagnostics.
    FederalRegisterTraining,
    /// An individual educational route (ИОМ) was developed for the teacher.
    IndividualRouteDeveloped,
    /// Completed the individual educational route.
    IndividualRouteCompleted,
    /// Received the status of a regional methodist.
    RegionalMethodist,
    /// A teacher under 35 in the first three years of work took part in a form of support.
    YoungTeacherSupported,
}

impl DevelopmentMilestone {
    pub const ALL: [DevelopmentMilestone; 6] = [
        DevelopmentMilestone::Diagnostics,
        DevelopmentMilestone::FederalRegisterTraining,
        DevelopmentMilestone::IndividualRouteDeveloped,
        DevelopmentMilestone::IndividualRouteCompleted,
        DevelopmentMilestone::RegionalMethodist,
        DevelopmentMilestone::YoungTeacherSupported,
    ];

    pub fn in_russian(self) -> &'static str {
        match self {
            DevelopmentMilestone::Diagnostics => "прошёл диагностику профессиональных компетенций",
            DevelopmentMilestone::FederalRegisterTraining => {
                "освоил программу ДПО из Федерального реестра"
            }
            DevelopmentMilestone::IndividualRouteDeveloped => {
                "разработан индивидуальный образовательный маршрут"
            }
            DevelopmentMilestone::IndividualRouteCompleted => {
                "успешно завершил индивидуальный образовательный маршрут"
            }
            DevelopmentMilestone::RegionalMethodist => "получил статус регионального методиста",
            DevelopmentMilestone::YoungTeacherSupported => {
                "участвует в формах поддержки молодых педагогов"
            }
        }
    }

    /// The profile indicator (its `code`) that counts this milestone.
    pub fn indicator_code(self) -> &'static str {
        match self {
            DevelopmentMilestone::Diagnostics => "diagnostics_share",
            DevelopmentMilestone::FederalRegisterTraining => "federal_register_training_share",
            DevelopmentMilestone::IndividualRouteDeveloped => "individual_route_share",
            DevelopmentMilestone::IndividualRouteCompleted => "individual_route_completed_share",
            DevelopmentMilestone::RegionalMethodist => "regional_methodist_share",
            DevelopmentMilestone::YoungTeacherSupported => "young_teachers_supported_share",
        }
    }
}

/// A role inside an association.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AssociationRole {
    Head,
    Secretary,
    Curator,
}

impl AssociationRole {
    pub fn in_russian(self) -> &'static str {
        match self {
            AssociationRole::Head => "руководитель",
            AssociationRole::Secretary => "секретарь",
            AssociationRole::Curator => "куратор",
        }
    }
}

/// A SHA-256 digest of a document's content, lower-case hex (the document itself lives
/// outside the log; its hash is what the chain proves).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ContentHash(String);

impl ContentHash {
    pub fn parse(text: &str) -> Result<Self, DomainError> {
        let text = text.trim().to_ascii_lowercase();
        if text.len() != 64 || !text.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(DomainError::InvalidContentHash { value: text });
        }
        Ok(Self(text))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ContentHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for ContentHash {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for ContentHash {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// A personal field as stored in a payload: ciphertext produced by the store's vault. The
/// domain never sees clear personal data in an event; it only carries this opaque value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Sealed(pub serde_json::Value);

impl Sealed {
    /// Whether the value has the vault's shape (`{"sealed": {...}}`), so that clear text
    /// cannot slip into a personal field.
    pub fn is_sealed(&self) -> bool {
        self.0
            .get("sealed")
            .and_then(|parts| parts.get("ciphertext"))
            .is_some_and(|c| c.is_string())
    }
}

#[cfg(test)]
mod tests {
    use super::Clause;

    fn clause(text: &str) -> Clause {
        Clause::parse(text).expect("a valid clause")
    }

    #[test]
    fn clauses_of_one_seed_join_with_each_paragraph_once() {
        let joined = Clause::join(&[
            clause("000 §7.4, §1.5"),
            clause("000 §4.3, §10.2"),
            clause("000 §1.5"),
        ]);
        assert_eq!(joined, Some(clause("000 §7.4, §1.5, §4.3, §10.2")));
        let kept_whole = Clause::join(&[clause("001 §1.3 (второй, раздел 2)"), clause("001 §4.1")]);
        assert_eq!(
            kept_whole,
            Some(clause("001 §1.3 (второй, раздел 2), §4.1"))
        );
        assert_eq!(Clause::join(&[]), None);
    }
}
