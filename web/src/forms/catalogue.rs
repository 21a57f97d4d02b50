//! The forms of «Реестр» one by one: each command of `docs/commands.md` a form offers, its
//! fields labelled in Russian, and the fixed choices (wire value, the domain's Russian name).

use super::{Field, FieldKind, Form, Pick};

const fn field(name: &'static str, label: &'static str, kind: FieldKind) -> Field {
    Field {
        name,
        label,
        kind,
        required: true,
    }
}

const fn optional(name: &'static str, label: &'static str, kind: FieldKind) -> Field {
    Field {
        name,
        label,
        kind,
        required: false,
    }
}

const EFFECTIVE: Field = optional(
    "effective",
    "Действует с (пусто — сегодня)",
    FieldKind::Date,
);
/// Fields several forms ask alike: the association, the school year, an application, a
/// council's sitting (the one that reviewed, or the one that decided), a vote.
const ASSOCIATION: Field = field(
    "association",
    "Объединение",
    FieldKind::Pick(Pick::Association),
);
const SCHOOL_YEAR: Field = field("school_year", "Учебный год", FieldKind::SchoolYear);
const APPLICATION: Field = field("application", "Заявка (id)", FieldKind::Id);
const COUNCIL_REVIEWED: Field = optional(
    "review.council",
    "Совет, рассмотревший",
    FieldKind::Pick(Pick::Body),
);
const COUNCIL_DECIDED: Field = optional(
    "review.council",
    "Совет, решивший на заседании (где решает совет)",
    FieldKind::Pick(Pick::Body),
);
const COUNCIL_PROTOCOL: Field = optional(
    "review.protocol_number",
    "Номер протокола совета",
    FieldKind::Text,
);
const COUNCIL_SAT_ON: Field = optional("review.date", "Дата заседания совета", FieldKind::Date);
const VOTE_MEETING: Field = field("vote.meeting", "Заседание", FieldKind::Pick(Pick::Meeting));
const VOTE_PRESENT: Field = field(
    "vote.present",
    "Голосовали (присутствовавшие члены)",
    FieldKind::Persons,
);
const VOTES_FOR: Field = field("vote.votes_for", "За", FieldKind::Number);
const VOTES_AGAINST: Field = field("vote.against", "Против", FieldKind::Number);
const VOTES_ABSTAINED: Field = field("vote.abstained", "Воздержались", FieldKind::Number);
const MUNICIPALITY: Field = field(
    "municipality",
    "Муниципалитет",
    FieldKind::Pick(Pick::Municipality),
);

pub const ORGANIZATION_KINDS: &[(&str, &str)] = &[
    ("school", "школа"),
    ("kindergarten", "детский сад"),
    (
        "additional_education",
        "организация дополнительного образования",
    ),
    ("municipal_institution", "муниципальное учреждение"),
];
pub const POSITION_KINDS: &[(&str, &str)] = &[
    ("teacher", "педагог"),
    ("methodist", "методист"),
    ("center_specialist", "специалист методического центра"),
    ("head_of_unit", "руководитель структурного подразделения"),
    ("deputy_head", "заместитель руководителя"),
    ("director", "руководитель организации"),
    ("official", "должностное лицо органа"),
];
pub const CATEGORY_LEVELS: &[(&str, &str)] = &[
    ("none", "без категории"),
    ("first", "первая"),
    ("highest", "высшая"),
];
pub const ORDER_KINDS: &[(&str, &str)] = &[("order", "приказ"), ("directive", "распоряжение")];
pub const LEVELS: &[(&str, &str)] = &[
    ("school", "школьный"),
    ("district", "районный"),
    ("city", "городской (муниципальный)"),
];
pub const ASSOCIATION_KINDS: &[(&str, &str)] = &[
    ("methodical_association", "методическое объединение"),
    (
        "professional_association",
        "профессиональная ассоциация / творческое объединение",
    ),
    ("working_group", "рабочая / проблемная группа"),
    ("creative_lab", "творческая лаборатория"),
    ("expert_community", "экспертное сообщество"),
];
pub const DOCUMENT_TYPES: &[(&str, &str)] = &[
    ("technical_assignment", "техническое задание"),
    ("work_plan", "план работы (дорожная карта)"),
    ("annual_analysis", "анализ работы за учебный год"),
    ("curator_yearly_report", "отчёт куратора за год"),
    ("network_event_report", "отчёт о сетевом событии"),
];

/// Every form of «Реестр», by group.
pub const FORMS: &[Form] = &[
    Form {
        command: "add_district",
        slug: "district",
        title: "Район",
        group: "Реестр",
        fields: &[
            EFFECTIVE,
            MUNICIPALITY,
            field("district", "", FieldKind::NewId),
            field("title", "Название района", FieldKind::Text),
        ],
    },
    Form {
        command: "register_organization",
        slug: "organization",
        title: "Образовательная организация",
        group: "Реестр",
        fields: &[
            EFFECTIVE,
            MUNICIPALITY,
            field("organization", "", FieldKind::NewId),
            field("title", "Название", FieldKind::Text),
            field("kind", "Вид", FieldKind::Choice(ORGANIZATION_KINDS)),
            optional("district", "Район", FieldKind::Pick(Pick::District)),
        ],
    },
    Form {
        command: "register_person",
        slug: "person",
        title: "Педагог или должностное лицо",
        group: "Реестр",
        fields: &[
            EFFECTIVE,
            MUNICIPALITY,
            field("person", "", FieldKind::NewId),
            field("full_name", "Фамилия, имя, отчество", FieldKind::Text),
            field("birth_date", "Дата рождения", FieldKind::Date),
            field(
                "organization",
                "Организация",
                FieldKind::Pick(Pick::Organization),
            ),
            field(
                "position_kind",
                "Вид должности",
                FieldKind::Choice(POSITION_KINDS),
            ),
            field("position_title", "Должность", FieldKind::Text),
            field(
                "category.level",
                "Квалификационная категория",
                FieldKind::Choice(CATEGORY_LEVELS),
            ),
            optional("category.granted", "Категория присвоена", FieldKind::Date),
            optional(
                "specialty_since",
                "Стаж по специальности с",
                FieldKind::Date,
            ),
            optional(
                "subjects",
                "Предметы (по одному в строке)",
                FieldKind::Lines,
            ),
        ],
    },
    Form {
        command: "issue_order",
        slug: "order",
        title: "Приказ",
        group: "Приказы",
        fields: &[
            EFFECTIVE,
            MUNICIPALITY,
            field("order", "", FieldKind::NewId),
            field(
                "issuer",
                "Орган, издавший приказ",
                FieldKind::Pick(Pick::Body),
            ),
            field("kind", "Вид", FieldKind::Choice(ORDER_KINDS)),
            field("number", "Номер", FieldKind::Text),
            field("date", "Дата", FieldKind::Date),
            field("title", "Заголовок", FieldKind::Text),
            field(
                "decides",
                "Что решает (по пункту в строке)",
                FieldKind::Lines,
            ),
            field("signed_by", "Подписал", FieldKind::Pick(Pick::Person)),
        ],
    },
    Form {
        command: "create_association",
        slug: "association",
        title: "Создание объединения",
        group: "Объединения",
        fields: &[
            EFFECTIVE,
            field("association", "", FieldKind::NewId),
            field("title", "Название", FieldKind::Text),
            field("subject", "Предмет (направление)", FieldKind::Text),
            field("level", "Уровень", FieldKind::Choice(LEVELS)),
            field("kind", "Вид", FieldKind::Choice(ASSOCIATION_KINDS)),
            optional(
                "district",
                "Район (для районного)",
                FieldKind::Pick(Pick::District),
            ),
            optional(
                "organization",
                "Организация (для школьного)",
                FieldKind::Pick(Pick::Organization),
            ),
            field("order", "Приказ-основание (id)", FieldKind::Id),
            COUNCIL_REVIEWED,
            COUNCIL_PROTOCOL,
            COUNCIL_SAT_ON,
        ],
    },
    Form {
        command: "admit_member",
        slug: "member",
        title: "Включение в состав",
        group: "Объединения",
        fields: &[
            EFFECTIVE,
            ASSOCIATION,
            field("member.person", "Педагог", FieldKind::Pick(Pick::Person)),
            optional("basis.order", "Основание: приказ (id)", FieldKind::Id),
            optional("basis.application", "Основание: заявка (id)", FieldKind::Id),
            optional(
                "basis.meeting",
                "Основание: заседание",
                FieldKind::Pick(Pick::Meeting),
            ),
            optional(
                "district_association",
                "Районное объединение, которым он руководит (для городского)",
                FieldKind::Pick(Pick::Association),
            ),
        ],
    },
    Form {
        command: "appoint_head",
        slug: "head",
        title: "Назначение руководителя",
        group: "Назначения и выборы",
        fields: &[
            EFFECTIVE,
            ASSOCIATION,
            field("person", "Руководитель", FieldKind::Pick(Pick::Person)),
            SCHOOL_YEAR,
            field("order", "Приказ (id)", FieldKind::Id),
            COUNCIL_REVIEWED,
            COUNCIL_PROTOCOL,
            COUNCIL_SAT_ON,
        ],
    },
    Form {
        command: "appoint_curator",
        slug: "curator",
        title: "Назначение куратора",
        group: "Назначения и выборы",
        fields: &[
            EFFECTIVE,
            ASSOCIATION,
            field("person", "Куратор", FieldKind::Pick(Pick::Person)),
            SCHOOL_YEAR,
            field("order", "Приказ (id)", FieldKind::Id),
        ],
    },
    Form {
        command: "elect_head",
        slug: "elected-head",
        title: "Избрание руководителя",
        group: "Назначения и выборы",
        fields: &[
            EFFECTIVE,
            ASSOCIATION,
            field("person", "Руководитель", FieldKind::Pick(Pick::Person)),
            SCHOOL_YEAR,
            VOTE_MEETING,
            VOTE_PRESENT,
            VOTES_FOR,
            VOTES_AGAINST,
            VOTES_ABSTAINED,
        ],
    },
    Form {
        command: "elect_secretary",
        slug: "secretary",
        title: "Избрание секретаря",
        group: "Назначения и выборы",
        fields: &[
            EFFECTIVE,
            ASSOCIATION,
            field("person", "Секретарь", FieldKind::Pick(Pick::Person)),
            SCHOOL_YEAR,
            VOTE_MEETING,
            VOTE_PRESENT,
            VOTES_FOR,
            VOTES_AGAINST,
            VOTES_ABSTAINED,
        ],
    },
    Form {
        command: "submit_membership_application",
        slug: "application-teacher",
        title: "Заявка на включение педагога (приложение 1 к положению)",
        group: "Заявки на включение",
        fields: &[
            EFFECTIVE,
            field("application", "", FieldKind::NewId),
            field("form", "", FieldKind::Fixed("teacher")),
            ASSOCIATION,
            field("applicant.person", "Педагог", FieldKind::Pick(Pick::Person)),
            field(
                "theme",
                "Тема самообразования (работы в объединении)",
                FieldKind::Text,
            ),
            SCHOOL_YEAR,
            field("period_from", "Период: с", FieldKind::Date),
            field("period_to", "Период: по", FieldKind::Date),
        ],
    },
    Form {
        command: "submit_membership_application",
        slug: "application-organization",
        title: "Заявка на включение организации (приложение 2 к положению)",
        group: "Заявки на включение",
        fields: &[
            EFFECTIVE,
            field("application", "", FieldKind::NewId),
            field("form", "", FieldKind::Fixed("organization")),
            ASSOCIATION,
            field(
                "applicant.organization",
                "Организация",
                FieldKind::Pick(Pick::Organization),
            ),
            field("theme", "Тема (направление работы)", FieldKind::Text),
            SCHOOL_YEAR,
            field("period_from", "Период: с", FieldKind::Date),
            field("period_to", "Период: по", FieldKind::Date),
        ],
    },
    Form {
        command: "approve_membership_application",
        slug: "application-approve",
        title: "Заявка одобрена",
        group: "Заявки на включение",
        fields: &[
            EFFECTIVE,
            APPLICATION,
            COUNCIL_DECIDED,
            COUNCIL_PROTOCOL,
            COUNCIL_SAT_ON,
        ],
    },
    Form {
        command: "return_membership_application",
        slug: "application-return",
        title: "Заявка возвращена на доработку",
        group: "Заявки на включение",
        fields: &[
            EFFECTIVE,
            APPLICATION,
            field("comment", "Что доработать", FieldKind::Text),
            COUNCIL_DECIDED,
            COUNCIL_PROTOCOL,
            COUNCIL_SAT_ON,
        ],
    },
    Form {
        command: "reject_membership_application",
        slug: "application-reject",
        title: "Заявка отклонена",
        group: "Заявки на включение",
        fields: &[
            EFFECTIVE,
            APPLICATION,
            field("reason", "Причина", FieldKind::Text),
            COUNCIL_DECIDED,
            COUNCIL_PROTOCOL,
            COUNCIL_SAT_ON,
        ],
    },
    Form {
        command: "schedule_meeting",
        slug: "meeting",
        title: "Заседание: повестка",
        group: "Заседания",
        fields: &[
            EFFECTIVE,
            field("meeting", "", FieldKind::NewId),
            ASSOCIATION,
            field("date", "Дата заседания", FieldKind::Date),
            field("agenda", "Повестка (вопрос в строке)", FieldKind::Lines),
        ],
    },
    Form {
        command: "hold_meeting",
        slug: "held",
        title: "Заседание проведено",
        group: "Заседания",
        fields: &[
            EFFECTIVE,
            field("meeting", "", FieldKind::NewId),
            ASSOCIATION,
            field("attendance", "Присутствовали", FieldKind::Persons),
            field(
                "questions",
                "Вопросы и решения (в строке: вопрос — решение)",
                FieldKind::Questions,
            ),
            optional(
                "recommendations",
                "Рекомендации (по одной в строке)",
                FieldKind::Lines,
            ),
        ],
    },
    Form {
        command: "open_document",
        slug: "document",
        title: "Документ",
        group: "Документы",
        fields: &[
            EFFECTIVE,
            field("document", "", FieldKind::NewId),
            ASSOCIATION,
            field(
                "document_type",
                "Вид документа",
                FieldKind::Choice(DOCUMENT_TYPES),
            ),
            SCHOOL_YEAR,
            field("title", "Заголовок", FieldKind::Text),
        ],
    },
];
