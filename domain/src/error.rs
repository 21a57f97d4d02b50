//! Why a command is refused: one variant per broken rule, a Russian message that names the
//! rule and its clause, and a stable English code for programs.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DomainError {
    // ---- malformed input -------------------------------------------------------------
    #[error("неверный идентификатор {kind}: «{value}» (нужен UUID)")]
    InvalidId { kind: &'static str, value: String },

    #[error("неверный учебный год «{value}»: нужен вид 2024/25")]
    InvalidSchoolYear { value: String },

    #[error("неверная дата «{value}»: нужен вид ММ-ДД, например 05-15")]
    InvalidMonthDay { value: String },

    #[error("неверная ссылка на пункт положения «{value}»: нужен вид «000 §4.7»")]
    InvalidClause { value: String },

    #[error("неверная квалификационная категория: {reason}")]
    InvalidCategory { reason: String },

    #[error("неверное поле «{field}»: {reason}")]
    InvalidText { field: &'static str, reason: String },

    #[error("неверный хеш содержимого «{value}»: нужны 64 шестнадцатеричных знака SHA-256")]
    InvalidContentHash { value: String },

    #[error("профиль {origin} не читается: {reason}")]
    InvalidProfile { origin: String, reason: String },

    #[error("неверное событие {event_type}: {reason}")]
    MalformedEvent { event_type: String, reason: String },

    #[error("неизвестный тип события «{event_type}»")]
    UnknownEventType { event_type: String },

    // ---- references ------------------------------------------------------------------
    #[error("{what} {id} не найден(о) в журнале")]
    NotFound { what: &'static str, id: String },

    #[error("{what} {id} уже существует")]
    AlreadyExists { what: &'static str, id: String },

    #[error("персональные поля лица должны быть зашифрованы хранилищем ключей; открытый текст не записывается (152-ФЗ)")]
    PersonalDataNotSealed,

    // ---- who may act -----------------------------------------------------------------
    #[error("нет полномочий: {reason}")]
    NotAuthorized { reason: String },

    #[error("{role} объединения на {date} не назначен(а): действие невозможно")]
    RoleVacant { role: &'static str, date: NaiveDate },

    // ---- orders and legal basis ------------------------------------------------------
    #[error("нужно основание — приказ {issuer} ({clause})")]
    OrderRequired {
        issuer: &'static str,
        clause: Clause,
    },

    #[error("приказ {number} издан не тем органом: нужен приказ органа «{expected}», а издал «{actual}» ({clause})")]
    WrongOrderIssuer {
        number: String,
        expected: &'static str,
        actual: &'static str,
        clause: Clause,
    },

    #[error("приказ {number} от {order_date} не может действовать раньше своей даты (действие с {effective})")]
    OrderAfterEffectiveDate {
        number: String,
        order_date: NaiveDate,
        effective: NaiveDate,
    },

    #[error("подписывать приказы органа может только его руководитель или заместитель")]
    OrderSignerNotAuthorized,

    #[error("до приказа нужно рассмотрение советом «{council}»: укажите его протокол ({clause})")]
    CouncilReviewRequired {
        council: &'static str,
        clause: Clause,
    },

    #[error("размещение документа «{document}» на сайте положением не предусмотрено ({clause})")]
    PublicationNotProvided {
        document: &'static str,
        clause: Clause,
    },

    #[error("решение по заявке принимает {council} на своём заседании: укажите совет, номер и дату протокола заседания, прошедшего после подачи заявки и не позже решения ({clause})")]
    CouncilDecisionRequired {
        council: &'static str,
        clause: Clause,
    },

    // ---- methodical work (004 §8–§10) ---------------------------------------------------
    #[error("индивидуальные программы профессионального развития педагогов профилем «{profile}» не предусмотрены: положение их не называет ({clause})")]
    ProgrammesNotProvided { profile: String, clause: Clause },

    #[error("мониторинг эффективности методической работы профилем «{profile}» не предусмотрен: положение его не называет ({clause})")]
    MonitoringNotProvided { profile: String, clause: Clause },

    #[error("индивидуальную программу педагога записывает администрация его организации — руководитель или заместитель руководителя, работающий в ней на эту дату ({clause})")]
    ProgrammeRecorderNotAuthorized { clause: Clause },

    #[error("программа ещё не записана: у {person} нет индивидуальной программы на {school_year} учебный год ({clause})")]
    ProgrammeNotRecorded {
        person: String,
        school_year: String,
        clause: Clause,
    },

    // ---- structure -------------------------------------------------------------------
    #[error("уровень «{level}» не предусмотрен положением ({clause})")]
    LevelNotProvided { level: &'static str, clause: Clause },

    #[error("вид объединения «{kind}» не предусмотрен положением ({clause})")]
    KindNotProvided { kind: &'static str, clause: Clause },

    #[error("объединение ликвидировано {since}; действия с ним невозможны ({clause})")]
    AssociationLiquidated { since: NaiveDate, clause: Clause },

    #[error("{reason}")]
    InvalidStructure { reason: String },

    #[error("«{kind}» объединяет педагогов одной образовательной организации: укажите организацию ({clause})")]
    OneOrganizationRequired { kind: &'static str, clause: Clause },

    #[error("«{kind}» — временное объединение для выполнения общих заданий: укажите последний день срока (ends_on, не раньше дня создания) и задачу (task) ({clause})")]
    TermRequired { kind: &'static str, clause: Clause },

    #[error("срок и задача указываются только для временных объединений; «{kind}» положение временным не называет ({clause})")]
    TermNotProvided { kind: &'static str, clause: Clause },

    #[error("срок временного объединения истёк {ended}: после него оно не принимает членов и не проводит заседаний ({clause})")]
    AssociationTermEnded { ended: NaiveDate, clause: Clause },

    #[error("районное объединение может быть связано только с городским объединением того же предмета: {reason} ({clause})")]
    CityLinkMismatch { reason: String, clause: Clause },

    // ---- membership ------------------------------------------------------------------
    #[error(
        "положение не предусматривает заявок на включение: состав определяется иначе ({clause})"
    )]
    ApplicationsNotProvided { clause: Clause },

    #[error("форма заявки «{form}» не предусмотрена положением ({clause})")]
    ApplicationFormNotProvided { form: &'static str, clause: Clause },

    #[error("заявка подаётся на период с {expected_from} по {expected_to} учебного года, а указан период с {from} по {to} ({clause})")]
    ApplicationPeriodMismatch {
        from: NaiveDate,
        to: NaiveDate,
        expected_from: NaiveDate,
        expected_to: NaiveDate,
        clause: Clause,
    },

    #[error(
        "период, на который подана заявка, закончился {to}: включение по ней невозможно ({clause})"
    )]
    ApplicationPeriodOver { to: NaiveDate, clause: Clause },

    #[error("заявка уже рассмотрена ({state}); повторное решение невозможно ({clause})")]
    ApplicationAlreadyDecided { state: &'static str, clause: Clause },

    #[error("включить в состав можно только по одобренной заявке ({clause})")]
    ApplicationNotApproved { clause: Clause },

    #[error("для включения в состав без заявки нужно основание — приказ или протокол заседания ({clause})")]
    MembershipBasisRequired { clause: Clause },

    #[error("{member} уже состоит в объединении с {since}")]
    AlreadyMember { member: String, since: NaiveDate },

    #[error("{member} не состоит в объединении на {date} ({clause})")]
    NotAMember {
        member: String,
        date: NaiveDate,
        clause: Clause,
    },

    #[error("положение не предусматривает показателя «{milestone}» ({clause})")]
    IndicatorNotProvided { milestone: String, clause: Clause },

    #[error("«{milestone}» для {person} в {year} уже записано")]
    DevelopmentAlreadyRecorded {
        milestone: String,
        person: String,
        year: String,
    },

    #[error(
        "завершить ИОМ можно только после его разработки: для {person} ИОМ не записан ({clause})"
    )]
    IndividualRouteNotDeveloped { person: String, clause: Clause },

    #[error("в районное объединение входят педагоги образовательных организаций этого района; {person} работает в другом районе ({clause})")]
    NotOfTheDistrict { person: String, clause: Clause },

    #[error("объединение — педагогов одной образовательной организации; {member} на эту дату в ней не работает ({clause})")]
    NotOfTheOrganization { member: String, clause: Clause },

    #[error("в объединение входят педагоги соответствующей предметной направленности; у {person} в реестре нет предмета «{subject}» ({clause})")]
    NotATeacherOfTheSubject {
        person: String,
        subject: String,
        clause: Clause,
    },

    #[error("состав объединения следует из реестра: в него входят все педагоги предмета «{subject}» образовательных организаций города, включение и исключение не оформляются — измените сведения о педагоге в реестре ({clause})")]
    MembershipFollowsFromRegistry { subject: String, clause: Clause },

    #[error("план утверждается на первом заседании учебного года, а объединение уже заседало {earlier} ({clause})")]
    NotTheFirstMeeting { earlier: NaiveDate, clause: Clause },

    #[error("профиль не предусматривает утверждения перечня районных объединений ({clause})")]
    AssociationListNotProvided { clause: Clause },

    #[error("перечень объединений: {association} — {reason} ({clause})")]
    AssociationListInvalid {
        association: String,
        reason: String,
        clause: Clause,
    },

    #[error("{person} не работает в образовательной организации муниципалитета на {date}")]
    PersonNotEmployed { person: String, date: NaiveDate },

    #[error("членами городского объединения являются руководители районных объединений того же предмета; {person} не руководит ни одним из них на {date} ({clause})")]
    NotADistrictHead {
        person: String,
        date: NaiveDate,
        clause: Clause,
    },

    // ---- roles and elections ---------------------------------------------------------
    #[error("{role} на уровне «{level}» {how} ({clause})")]
    WrongFillMethod {
        role: &'static str,
        level: &'static str,
        how: &'static str,
        clause: Clause,
    },

    #[error("положение не определяет, как назначается {role} на уровне «{level}»; на этом уровне оно устанавливает: {provided} ({clause})")]
    NoRoleRule {
        role: &'static str,
        level: &'static str,
        provided: String,
        clause: Clause,
    },

    #[error("руководитель должен {requirement} ({clause}); {found}")]
    HeadNotEligible {
        requirement: String,
        found: String,
        clause: Clause,
    },

    #[error("куратор должен {requirement} ({clause}); {found}")]
    CuratorNotEligible {
        requirement: String,
        found: String,
        clause: Clause,
    },

    #[error("голосование не состоялось: «за» {votes_for} из {base} ({majority}) — это не большинство ({clause})")]
    NoMajority {
        votes_for: u32,
        base: u32,
        majority: &'static str,
        clause: Clause,
    },

    #[error("итоги голосования не сходятся: за {votes_for} + против {against} + воздержались {abstained} ≠ присутствовали {present} ({clause})")]
    VoteCountMismatch {
        votes_for: u32,
        against: u32,
        abstained: u32,
        present: u32,
        clause: Clause,
    },

    #[error("голосовать могут только члены объединения: {person} не член на {date} ({clause})")]
    VoterNotAMember {
        person: String,
        date: NaiveDate,
        clause: Clause,
    },

    #[error(
        "голосование проводится на состоявшемся заседании этого объединения: {reason} ({clause})"
    )]
    VoteMeetingInvalid { reason: String, clause: Clause },

    /// An authorization refusal (code `not_authorized`) that names the election rule.
    #[error("нет полномочий: итоги голосования вносит член объединения, присутствовавший на заседании ({clause})")]
    VoteRecorderNotAMember { clause: Clause },

    // ---- meetings and protocols ------------------------------------------------------
    #[error("по каждому вопросу заседания принимается решение; у вопроса «{question}» решения нет ({clause})")]
    QuestionWithoutDecision { question: String, clause: Clause },

    #[error("заседание {state}: {action} невозможно")]
    MeetingState {
        state: &'static str,
        action: &'static str,
    },

    #[error("протокол оформляет {role} объединения ({clause})")]
    ProtocolDrafterMismatch { role: &'static str, clause: Clause },

    #[error("протокол подписывает {role} объединения ({clause})")]
    ProtocolSignerMismatch { role: &'static str, clause: Clause },

    #[error("подписанный протокол не изменяется; исправление оформляется отдельной записью со ссылкой на него")]
    ProtocolAlreadySigned,

    // ---- documents -------------------------------------------------------------------
    #[error("положение не предусматривает документ «{document}» для уровня «{level}» ({clause})")]
    DocumentNotProvided {
        document: &'static str,
        level: &'static str,
        clause: Clause,
    },

    #[error("документ «{document}» составляет {authors} ({clause})")]
    DocumentAuthorMismatch {
        document: &'static str,
        authors: String,
        clause: Clause,
    },

    #[error("документ уже на рассмотрении (версия {version}); новая версия подаётся только после возврата на доработку")]
    DocumentAwaitingDecision { version: u32 },

    #[error("документ закрыт ({state}); новые версии не принимаются")]
    DocumentClosed { state: &'static str },

    #[error("в отчёте о сетевом событии не хватает: {missing} (002 §5.11)")]
    NetworkEventReportIncomplete { missing: String },

    #[error("документ «{document}» разрабатывается на основе документа «{basis}» того же объединения и учебного года, утверждённого до подачи версии: {reason} ({clause})")]
    BasisDocumentRequired {
        document: &'static str,
        basis: &'static str,
        reason: String,
        clause: Clause,
    },

    #[error(
        "в документе «{document}» указывается {what} на учебный год ({field}): {reason} ({clause})"
    )]
    PlannedCountRequired {
        document: &'static str,
        what: &'static str,
        field: &'static str,
        reason: String,
        clause: Clause,
    },

    #[error("{what} ({field}) не указывается в документе «{document}»: {reason} ({clause})")]
    PlannedCountNotProvided {
        document: &'static str,
        what: &'static str,
        field: &'static str,
        reason: String,
        clause: Clause,
    },

    // ---- approval chains ---------------------------------------------------------------
    #[error("шаг {step} уже решён или ещё не наступил: документ сейчас — {state}")]
    StepNotCurrent { step: u32, state: String },

    #[error("документ {state}: {action} невозможно")]
    DocumentState {
        state: &'static str,
        action: &'static str,
    },

    #[error("{action}: нужен {what}")]
    DecisionTextRequired {
        action: &'static str,
        what: &'static str,
    },

    #[error("решение на этом шаге принимается на заседании {whose}: укажите заседание, проведённое после поступления документа на шаг ({clause})")]
    StepMeetingRequired { whose: &'static str, clause: Clause },

    #[error("районное объединение не связано с городским объединением своего предмета: документ некому согласовать ({clause})")]
    NoCityAssociation { clause: Clause },

    #[error("срок ещё не прошёл или уже соблюдён: {reason}")]
    DeadlineNotMissed { reason: String },

    // ---- dates -----------------------------------------------------------------------
    #[error(
        "дата действия {effective} позже дня записи {today}: будущие действия не записываются"
    )]
    EffectiveInFuture {
        effective: NaiveDate,
        today: NaiveDate,
    },

    #[error("дата действия {effective} вне допустимого диапазона (1990–2200 годы)")]
    EffectiveOutOfRange { effective: NaiveDate },

    #[error("лицо записывает свои действия не более чем за месяц назад (с {earliest}); действие от {effective} вносит оператор по документу-основанию")]
    BackdatedTooFar {
        effective: NaiveDate,
        earliest: NaiveDate,
    },

    #[error("приказ {number} издан в другом муниципалитете и здесь основанием не служит")]
    OrderOfAnotherMunicipality { number: String },

    #[error("дата {date} не входит в учебный год {year}")]
    DateOutsideSchoolYear { date: NaiveDate, year: String },

    #[error("{what}: дата {date} раньше {earliest}")]
    DateTooEarly {
        what: &'static str,
        date: NaiveDate,
        earliest: NaiveDate,
    },
}

impl DomainError {
    /// The clause of the regulation the refusal cites, where it cites one: what an API
    /// client shows beside the message.
    pub fn clause(&self) -> Option<&Clause> {
        match self {
            DomainError::ApplicationsNotProvided { clause, .. } => Some(clause),
            DomainError::ApplicationPeriodOver { clause, .. } => Some(clause),
            DomainError::IndividualRouteNotDeveloped { clause, .. } => Some(clause),
            DomainError::VoteMeetingInvalid { clause, .. } => Some(clause),
            DomainError::EffectiveInFuture { .. } => None,
            DomainError::InvalidId { .. } => None,
            DomainError::InvalidSchoolYear { .. } => None,
            DomainError::InvalidMonthDay { .. } => None,
            DomainError::InvalidClause { .. } => None,
            DomainError::InvalidCategory { .. } => None,
            DomainError::InvalidText { .. } => None,
            DomainError::InvalidContentHash { .. } => None,
            DomainError::InvalidProfile { .. } => None,
            DomainError::MalformedEvent { .. } => None,
            DomainError::UnknownEventType { .. } => None,
            DomainError::NotFound { .. } => None,
            DomainError::AlreadyExists { .. } => None,
            DomainError::PersonalDataNotSealed => None,
            DomainError::NotAuthorized { .. } => None,
            DomainError::RoleVacant { .. } => None,
            DomainError::OrderRequired { clause, .. } => Some(clause),
            DomainError::WrongOrderIssuer { clause, .. } => Some(clause),
            DomainError::OrderAfterEffectiveDate { .. } => None,
            DomainError::OrderSignerNotAuthorized => None,
            DomainError::CouncilReviewRequired { clause, .. } => Some(clause),
            DomainError::CouncilDecisionRequired { clause, .. } => Some(clause),
            DomainError::PublicationNotProvided { clause, .. } => Some(clause),
            DomainError::LevelNotProvided { clause, .. } => Some(clause),
            DomainError::KindNotProvided { clause, .. } => Some(clause),
            DomainError::AssociationLiquidated { clause, .. } => Some(clause),
            DomainError::InvalidStructure { .. } => None,
            DomainError::CityLinkMismatch { clause, .. } => Some(clause),
            DomainError::ApplicationFormNotProvided { clause, .. } => Some(clause),
            DomainError::ApplicationPeriodMismatch { clause, .. } => Some(clause),
            DomainError::ApplicationAlreadyDecided { clause, .. } => Some(clause),
            DomainError::ApplicationNotApproved { clause, .. } => Some(clause),
            DomainError::MembershipBasisRequired { clause, .. } => Some(clause),
            DomainError::AlreadyMember { .. } => None,
            DomainError::NotAMember { clause, .. } => Some(clause),
            DomainError::IndicatorNotProvided { clause, .. } => Some(clause),
            DomainError::DevelopmentAlreadyRecorded { .. } => None,
            DomainError::NotOfTheDistrict { clause, .. } => Some(clause),
            DomainError::ProgrammesNotProvided { clause, .. } => Some(clause),
            DomainError::MonitoringNotProvided { clause, .. } => Some(clause),
            DomainError::ProgrammeRecorderNotAuthorized { clause } => Some(clause),
            DomainError::ProgrammeNotRecorded { clause, .. } => Some(clause),
            DomainError::NotOfTheOrganization { clause, .. } => Some(clause),
            DomainError::OneOrganizationRequired { clause, .. } => Some(clause),
            DomainError::TermRequired { clause, .. } => Some(clause),
            DomainError::TermNotProvided { clause, .. } => Some(clause),
            DomainError::AssociationTermEnded { clause, .. } => Some(clause),
            DomainError::NotATeacherOfTheSubject { clause, .. } => Some(clause),
            DomainError::MembershipFollowsFromRegistry { clause, .. } => Some(clause),
            DomainError::PersonNotEmployed { .. } => None,
            DomainError::AssociationListNotProvided { clause } => Some(clause),
            DomainError::NotTheFirstMeeting { clause, .. } => Some(clause),
            DomainError::AssociationListInvalid { clause, .. } => Some(clause),
            DomainError::NotADistrictHead { clause, .. } => Some(clause),
            DomainError::WrongFillMethod { clause, .. } => Some(clause),
            DomainError::NoRoleRule { clause, .. } => Some(clause),
            DomainError::HeadNotEligible { clause, .. } => Some(clause),
            DomainError::CuratorNotEligible { clause, .. } => Some(clause),
            DomainError::NoMajority { clause, .. } => Some(clause),
            DomainError::VoteCountMismatch { clause, .. } => Some(clause),
            DomainError::VoterNotAMember { clause, .. } => Some(clause),
            DomainError::VoteRecorderNotAMember { clause, .. } => Some(clause),
            DomainError::QuestionWithoutDecision { clause, .. } => Some(clause),
            DomainError::MeetingState { .. } => None,
            DomainError::ProtocolDrafterMismatch { clause, .. } => Some(clause),
            DomainError::ProtocolSignerMismatch { clause, .. } => Some(clause),
            DomainError::ProtocolAlreadySigned => None,
            DomainError::DocumentNotProvided { clause, .. } => Some(clause),
            DomainError::DocumentAuthorMismatch { clause, .. } => Some(clause),
            DomainError::DocumentAwaitingDecision { .. } => None,
            DomainError::DocumentClosed { .. } => None,
            DomainError::NetworkEventReportIncomplete { .. } => None,
            DomainError::BasisDocumentRequired { clause, .. } => Some(clause),
            DomainError::PlannedCountRequired { clause, .. } => Some(clause),
            DomainError::PlannedCountNotProvided { clause, .. } => Some(clause),
            DomainError::StepNotCurrent { .. } => None,
            DomainError::DocumentState { .. } => None,
            DomainError::DecisionTextRequired { .. } => None,
            DomainError::StepMeetingRequired { clause, .. } => Some(clause),
            DomainError::NoCityAssociation { clause, .. } => Some(clause),
            DomainError::DeadlineNotMissed { .. } => None,
            DomainError::EffectiveOutOfRange { .. } => None,
            DomainError::BackdatedTooFar { .. } => None,
            DomainError::OrderOfAnotherMunicipality { .. } => None,
            DomainError::DateOutsideSchoolYear { .. } => None,
            DomainError::DateTooEarly { .. } => None,
        }
    }

    /// The stable English code of the error.
    pub fn code(&self) -> &'static str {
        use DomainError::*;
        match self {
            InvalidId { .. } => "invalid_id",
            InvalidSchoolYear { .. } => "invalid_school_year",
            InvalidMonthDay { .. } => "invalid_month_day",
            InvalidClause { .. } => "invalid_clause",
            InvalidCategory { .. } => "invalid_category",
            InvalidText { .. } => "invalid_text",
            InvalidContentHash { .. } => "invalid_content_hash",
            InvalidProfile { .. } => "invalid_profile",
            MalformedEvent { .. } => "malformed_event",
            UnknownEventType { .. } => "unknown_event_type",
            NotFound { .. } => "not_found",
            AlreadyExists { .. } => "already_exists",
            PersonalDataNotSealed => "personal_data_not_sealed",
            NotAuthorized { .. } => "not_authorized",
            RoleVacant { .. } => "role_vacant",
            OrderRequired { .. } => "order_required",
            WrongOrderIssuer { .. } => "wrong_order_issuer",
            OrderAfterEffectiveDate { .. } => "order_after_effective_date",
            OrderSignerNotAuthorized => "order_signer_not_authorized",
            CouncilReviewRequired { .. } => "council_review_required",
            CouncilDecisionRequired { .. } => "council_decision_required",
            PublicationNotProvided { .. } => "publication_not_provided",
            LevelNotProvided { .. } => "level_not_provided",
            KindNotProvided { .. } => "kind_not_provided",
            AssociationLiquidated { .. } => "association_liquidated",
            InvalidStructure { .. } => "invalid_structure",
            CityLinkMismatch { .. } => "city_link_mismatch",
            ApplicationsNotProvided { .. } => "applications_not_provided",
            ApplicationFormNotProvided { .. } => "application_form_not_provided",
            ApplicationPeriodMismatch { .. } => "application_period_mismatch",
            ApplicationPeriodOver { .. } => "application_period_over",
            ApplicationAlreadyDecided { .. } => "application_already_decided",
            ApplicationNotApproved { .. } => "application_not_approved",
            MembershipBasisRequired { .. } => "membership_basis_required",
            AlreadyMember { .. } => "already_member",
            NotAMember { .. } => "not_a_member",
            IndicatorNotProvided { .. } => "indicator_not_provided",
            DevelopmentAlreadyRecorded { .. } => "development_already_recorded",
            IndividualRouteNotDeveloped { .. } => "individual_route_not_developed",
            NotADistrictHead { .. } => "not_a_district_head",
            NotOfTheDistrict { .. } => "not_of_the_district",
            ProgrammesNotProvided { .. } => "programmes_not_provided",
            MonitoringNotProvided { .. } => "monitoring_not_provided",
            ProgrammeRecorderNotAuthorized { .. } => "programme_recorder_not_authorized",
            ProgrammeNotRecorded { .. } => "programme_not_recorded",
            NotOfTheOrganization { .. } => "not_of_the_organization",
            OneOrganizationRequired { .. } => "one_organization_required",
            TermRequired { .. } => "term_required",
            TermNotProvided { .. } => "term_not_provided",
            AssociationTermEnded { .. } => "association_term_ended",
            NotATeacherOfTheSubject { .. } => "not_a_teacher_of_the_subject",
            MembershipFollowsFromRegistry { .. } => "membership_follows_from_registry",
            PersonNotEmployed { .. } => "person_not_employed",
            AssociationListNotProvided { .. } => "association_list_not_provided",
            NotTheFirstMeeting { .. } => "not_the_first_meeting",
            AssociationListInvalid { .. } => "association_list_invalid",
            WrongFillMethod { .. } => "wrong_fill_method",
            NoRoleRule { .. } => "no_role_rule",
            HeadNotEligible { .. } => "head_not_eligible",
            CuratorNotEligible { .. } => "curator_not_eligible",
            NoMajority { .. } => "no_majority",
            VoteCountMismatch { .. } => "vote_count_mismatch",
            VoterNotAMember { .. } => "voter_not_a_member",
            VoteMeetingInvalid { .. } => "vote_meeting_invalid",
            // Who may record a vote is a question of authority, as for every other actor.
            VoteRecorderNotAMember { .. } => "not_authorized",
            QuestionWithoutDecision { .. } => "question_without_decision",
            MeetingState { .. } => "meeting_state",
            ProtocolDrafterMismatch { .. } => "protocol_drafter_mismatch",
            ProtocolSignerMismatch { .. } => "protocol_signer_mismatch",
            ProtocolAlreadySigned => "protocol_already_signed",
            DocumentNotProvided { .. } => "document_not_provided",
            DocumentAuthorMismatch { .. } => "document_author_mismatch",
            DocumentAwaitingDecision { .. } => "document_awaiting_decision",
            DocumentClosed { .. } => "document_closed",
            NetworkEventReportIncomplete { .. } => "network_event_report_incomplete",
            BasisDocumentRequired { .. } => "basis_document_required",
            PlannedCountRequired { .. } => "planned_count_required",
            PlannedCountNotProvided { .. } => "planned_count_not_provided",
            StepNotCurrent { .. } => "step_not_current",
            DocumentState { .. } => "document_state",
            DecisionTextRequired { .. } => "decision_text_required",
            StepMeetingRequired { .. } => "step_meeting_required",
            NoCityAssociation { .. } => "no_city_association",
            DeadlineNotMissed { .. } => "deadline_not_missed",
            EffectiveInFuture { .. } => "effective_in_future",
            EffectiveOutOfRange { .. } => "effective_out_of_range",
            BackdatedTooFar { .. } => "backdated_too_far",
            OrderOfAnotherMunicipality { .. } => "order_of_another_municipality",
            DateOutsideSchoolYear { .. } => "date_outside_school_year",
            DateTooEarly { .. } => "date_too_early",
        }
    }
}

/// A reference to the clause of a regulation a rule comes from, e.g. `000 §10.5`
/// (seed 000, clause 10.5). Several clauses: `000 §4.4, §10.1`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Clause(String);

impl Clause {
    pub fn parse(text: &str) -> Result<Self, DomainError> {
        let text = text.trim();
        let invalid = || DomainError::InvalidClause {
            value: text.to_string(),
        };
        let (seed, rest) = text.split_once(' ').ok_or_else(invalid)?;
        if seed.len() != 3 || !seed.chars().all(|c| c.is_ascii_digit()) || !rest.contains('§') {
            return Err(invalid());
        }
        Ok(Self(text.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Several clauses of one seed as one (`000 §7.4, §1.5` and `000 §4.3, §10.2` →
    /// `000 §7.4, §1.5, §4.3, §10.2`), each paragraph once, in order; `None` for none.
    /// Clauses of another seed follow after a `;`.
    pub fn join<'a>(clauses: impl IntoIterator<Item = &'a Clause>) -> Option<Clause> {
        let mut seeds: Vec<(&str, Vec<String>)> = Vec::new();
        for clause in clauses {
            let (seed, rest) = clause.0.split_once(' ').unwrap_or((clause.0.as_str(), ""));
            let at = match seeds.iter().position(|(s, _)| *s == seed) {
                Some(at) => at,
                None => {
                    seeds.push((seed, Vec::new()));
                    seeds.len() - 1
                }
            };
            // Paragraphs are split at «, §» only: «§1.3 (второй, раздел 2)» stays whole.
            for (i, part) in rest.split(", §").enumerate() {
                let part = if i == 0 {
                    part.to_string()
                } else {
                    format!("§{part}")
                };
                if !seeds[at].1.contains(&part) {
                    seeds[at].1.push(part);
                }
            }
        }
        (!seeds.is_empty()).then(|| {
            Clause(
                seeds
                    .iter()
                    .map(|(seed, parts)| format!("{seed} {}", parts.join(", ")))
                    .collect::<Vec<_>>()
                    .join("; "),
            )
        })
    }
}

impl fmt::Display for Clause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for Clause {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Clause {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod clause_of_a_refusal {
    use super::*;

    #[test]
    fn a_refusal_that_cites_a_clause_gives_it_and_a_malformed_input_gives_none() {
        let clause = Clause::parse("002 §5.1").expect("a clause");
        let refused = DomainError::ApplicationsNotProvided {
            clause: clause.clone(),
        };
        assert_eq!(refused.clause(), Some(&clause));
        assert!(refused.to_string().contains("002 §5.1"));
        let malformed = DomainError::InvalidId {
            kind: "лица",
            value: "x".into(),
        };
        assert_eq!(malformed.clause(), None);
    }
}
