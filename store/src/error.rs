//! Errors of the event log: a Russian message for the people who read it, a stable English
//! code for programs and logs.

use crate::expected_version::ExpectedVersion;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("неверный адрес базы данных «{url}»: {reason}")]
    InvalidDatabaseUrl { url: String, reason: String },

    #[error("не удалось подключиться к базе данных {target}: {reason}")]
    Unreachable { target: String, reason: String },

    #[error("хранилище {target} не создано: выполните «metod init»")]
    NotInitialized { target: String },

    #[error(
        "база данных создана более новой версией metod (схема {found}, эта программа знает схемы до {known}): обновите metod"
    )]
    SchemaTooNew { found: i64, known: i64 },

    #[error("схема базы данных устарела (версия {found}, нужна {known}): выполните «metod init»")]
    SchemaOutdated { found: i64, known: i64 },

    #[error(
        "недопустимое имя потока «{name}»: нужны латинские буквы, цифры и -_.: (до 200 символов)"
    )]
    InvalidStreamName { name: String },

    #[error("недопустимое событие: {reason}")]
    InvalidEvent { reason: String },

    #[error("нечего записывать: список событий пуст")]
    EmptyAppend,

    #[error("поиск потоков по «{field}» невозможен: нужны имя типа события из латинских букв и имя поля из строчных латинских букв и _")]
    InvalidLookup { field: String },

    #[error("конфликт версий: ожидалась версия потока {expected}, фактическая {actual}")]
    Conflict {
        expected: ExpectedVersion,
        actual: u64,
    },

    #[error(
        "команда {command_id} уже была записана в поток {first_stream}; повтор в поток {stream} отклонён"
    )]
    CommandIdReused {
        command_id: uuid::Uuid,
        first_stream: String,
        stream: String,
    },

    #[error("событие на позиции {position} повреждено: {reason}")]
    CorruptRow { position: u64, reason: String },

    #[error("в журнале пропущены события: ожидалась позиция {expected}, прочитана {found}")]
    LogGap { expected: u64, found: u64 },

    #[error("персональные данные лица {person} удалены; новые данные этого лица не записываются")]
    PersonalDataErased { person: String },

    #[error("не удалось расшифровать персональные данные лица {person}: {reason}")]
    VaultCrypto { person: String, reason: String },

    #[error(
        "модель чтения «{name}» уже продвинута другим процессом (ожидалась позиция {expected}, в базе {actual}); повторите"
    )]
    ReadModelMoved {
        name: String,
        expected: u64,
        actual: u64,
    },

    #[error("учётная запись с именем входа «{login}» уже есть (имена входа не различают регистр)")]
    AccountExists { login: String },

    #[error("учётной записи {account} нет или она уже изменена другим запросом")]
    AccountUnknown { account: uuid::Uuid },

    #[error("у этой учётной записи уже есть действующий токен «{name}»: отзовите его или выберите другое имя")]
    AccessTokenExists { name: String },

    /// A root or a proof of the log's Merkle tree that cannot be given (a size beyond the
    /// log, a missing node) or a corrupt frontier; the code is tlog's own.
    #[error("{0}")]
    Tree(#[from] tlog::ProofError),

    #[error("ошибка базы данных: {reason}")]
    Database { reason: String },
}

impl StoreError {
    /// The stable English code of this error.
    pub fn code(&self) -> &'static str {
        match self {
            StoreError::InvalidDatabaseUrl { .. } => "invalid_database_url",
            StoreError::Unreachable { .. } => "database_unreachable",
            StoreError::NotInitialized { .. } => "store_not_initialized",
            StoreError::SchemaTooNew { .. } => "schema_too_new",
            StoreError::SchemaOutdated { .. } => "schema_outdated",
            StoreError::InvalidStreamName { .. } => "invalid_stream_name",
            StoreError::InvalidEvent { .. } => "invalid_event",
            StoreError::EmptyAppend => "empty_append",
            StoreError::InvalidLookup { .. } => "invalid_lookup",
            StoreError::Conflict { .. } => "version_conflict",
            StoreError::CommandIdReused { .. } => "command_id_reused",
            StoreError::CorruptRow { .. } => "corrupt_row",
            StoreError::LogGap { .. } => "log_gap",
            StoreError::PersonalDataErased { .. } => "personal_data_erased",
            StoreError::VaultCrypto { .. } => "vault_crypto_failure",
            StoreError::ReadModelMoved { .. } => "read_model_moved",
            StoreError::AccountExists { .. } => "account_exists",
            StoreError::AccountUnknown { .. } => "account_unknown",
            StoreError::AccessTokenExists { .. } => "access_token_exists",
            StoreError::Tree(e) => e.code(),
            StoreError::Database { .. } => "database_error",
        }
    }
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        StoreError::Database {
            reason: e.to_string(),
        }
    }
}

impl From<sqlx::migrate::MigrateError> for StoreError {
    fn from(e: sqlx::migrate::MigrateError) -> Self {
        StoreError::Database {
            reason: format!("миграция схемы не удалась: {e}"),
        }
    }
}

pub(crate) fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(db) if db.is_unique_violation())
}

pub type StoreResult<T> = Result<T, StoreError>;
