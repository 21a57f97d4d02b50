//! The grammar of `metod account`: `add`, `disable`, `enable`, `reset-password`, `list`, and
//! `token new|revoke`, their arguments.

use clap::{Args, Subcommand};

use super::Format;

#[derive(Debug, Subcommand)]
pub enum AccountCommand {
    /// Open an account for a person of the registry, the operator or an auditor; prints a
    /// one-time password (shown once), or reads the password from stdin.
    Add(AddArgs),
    /// Disable an account: its sessions end, its tokens are refused.
    Disable(LoginArgs),
    /// Enable a disabled account.
    Enable(LoginArgs),
    /// Give an account a new password: prints a one-time password, or reads one from stdin.
    /// Its sessions end.
    #[command(name = "reset-password")]
    ResetPassword(ResetArgs),
    /// Every account: login, kind, person, state (no secrets).
    List(ListArgs),
    /// Personal access tokens of API clients.
    #[command(subcommand)]
    Token(TokenCommand),
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// The name to log in with (unique whatever its case; no spaces).
    #[arg(long)]
    pub login: String,
    #[command(flatten)]
    pub who: Who,
    /// Read the password from stdin (one line) instead of generating a one-time one.
    #[arg(long)]
    pub password_stdin: bool,
}

/// Whom the account is for: exactly one.
#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub struct Who {
    /// A person of the registry (their id), acting in the roles they hold.
    #[arg(long, value_name = "UUID")]
    pub person: Option<String>,
    /// The system's operator: the registry and paper records.
    #[arg(long)]
    pub operator: bool,
    /// An auditor: the log, trails and proofs, personal data sealed.
    #[arg(long)]
    pub auditor: bool,
}

#[derive(Debug, Args)]
pub struct LoginArgs {
    #[arg(long)]
    pub login: String,
}

#[derive(Debug, Args)]
pub struct ResetArgs {
    #[arg(long)]
    pub login: String,
    /// Read the new password from stdin (one line) instead of generating a one-time one.
    #[arg(long)]
    pub password_stdin: bool,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create a token: printed once, kept only as its hash.
    New(TokenArgs),
    /// Revoke a token by its name.
    Revoke(TokenArgs),
}

#[derive(Debug, Args)]
pub struct TokenArgs {
    /// The account the token acts for.
    #[arg(long)]
    pub login: String,
    /// The token's name, unique among the account's live tokens.
    #[arg(long)]
    pub name: String,
}
