//! Why an erasure of personal data or its act of destruction was refused: each refusal has a
//! stable English code and a Russian message, with the legal clause where a rule of law refuses.

use chrono::NaiveDate;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PersonalDataError {
    /// Only the operator of personal data orders their destruction.
    #[error(
        "{what}: действует оператор персональных данных — должностное лицо органа управления \
         образованием или методического центра на {date} — либо оператор системы; \
         {actor} им не является ({clause})"
    )]
    NotAuthorized {
        what: &'static str,
        actor: String,
        date: NaiveDate,
        clause: String,
    },

    #[error("лицо {person} не зарегистрировано в реестре: уничтожать нечего")]
    PersonNotInRegistry { person: String },

    #[error(
        "персональные данные лица {person} уже уничтожены (позиция журнала {position}, \
         действует с {effective}); повторное уничтожение не выполняется"
    )]
    AlreadyErased {
        person: String,
        position: u64,
        effective: NaiveDate,
    },

    #[error(
        "уничтожение не может действовать с будущей даты: {effective} позже сегодняшнего дня \
         ({today})"
    )]
    EffectiveInFuture {
        effective: NaiveDate,
        today: NaiveDate,
    },

    #[error("основание уничтожения неполное: не указан(о) {missing} приказа")]
    BasisIncomplete { missing: &'static str },

    #[error(
        "приказ № {number} от {order_date} издан позже даты уничтожения {effective}: \
         уничтожение выполняется по изданному приказу"
    )]
    OrderAfterEffectiveDate {
        number: String,
        order_date: NaiveDate,
        effective: NaiveDate,
    },

    #[error(
        "персональные данные лица {person} не уничтожались: акт об уничтожении составляется \
         только по записи об уничтожении в журнале (metod personal-data erase)"
    )]
    NotErased { person: String },

    #[error("основание уничтожения «{given}» неизвестно; известны: {known}")]
    UnknownGround { given: String, known: String },
}

impl PersonalDataError {
    /// The stable English code of this refusal.
    pub fn code(&self) -> &'static str {
        match self {
            PersonalDataError::NotAuthorized { .. } => "erasure_not_authorized",
            PersonalDataError::PersonNotInRegistry { .. } => "person_not_in_registry",
            PersonalDataError::AlreadyErased { .. } => "personal_data_already_erased",
            PersonalDataError::EffectiveInFuture { .. } => "erasure_date_in_future",
            PersonalDataError::BasisIncomplete { .. } => "erasure_basis_incomplete",
            PersonalDataError::OrderAfterEffectiveDate { .. } => {
                "erasure_order_after_effective_date"
            }
            PersonalDataError::NotErased { .. } => "personal_data_not_erased",
            PersonalDataError::UnknownGround { .. } => "unknown_erasure_ground",
        }
    }
}
