//! `metod account`: accounts for `metod serve` — open, disable, enable, reset a password, list
//! — and personal access tokens. A secret (a one-time password, a token) is printed alone on
//! stdout, once; what was done goes to stderr, so `metod account add … > file` keeps only the
//! secret.

use std::io::{Read, Write};

use app::{AccountKind, AccountSummary, App};
use domain::ids::PersonId;

use crate::cli::account::{
    AccountCommand, AddArgs, ListArgs, LoginArgs, ResetArgs, TokenArgs, TokenCommand,
};
use crate::cli::Format;
use crate::failure::{io_failure, Failure};
use crate::table;

pub async fn run(app: &App, command: AccountCommand) -> Result<(), Failure> {
    match command {
        AccountCommand::Add(args) => add(app, args).await,
        AccountCommand::Disable(LoginArgs { login }) => {
            app.disable_account(&login).await?;
            eprintln!("ok: учётная запись «{login}» отключена, её сессии завершены");
            Ok(())
        }
        AccountCommand::Enable(LoginArgs { login }) => {
            app.enable_account(&login).await?;
            eprintln!("ok: учётная запись «{login}» включена");
            Ok(())
        }
        AccountCommand::ResetPassword(args) => reset(app, args).await,
        AccountCommand::List(args) => list(app, args).await,
        AccountCommand::Token(TokenCommand::New(TokenArgs { login, name })) => {
            let token = app.create_access_token(&login, &name).await?;
            println!("{token}");
            eprintln!(
                "ok: токен «{name}» учётной записи «{login}» создан; он показан один раз и \
                 хранится только как хеш"
            );
            Ok(())
        }
        AccountCommand::Token(TokenCommand::Revoke(TokenArgs { login, name })) => {
            app.revoke_access_token(&login, &name).await?;
            eprintln!("ok: токен «{name}» учётной записи «{login}» отозван");
            Ok(())
        }
    }
}

async fn add(app: &App, args: AddArgs) -> Result<(), Failure> {
    let (kind, person) = match (&args.who.person, args.who.operator, args.who.auditor) {
        (Some(person), _, _) => (AccountKind::Person, Some(person_of(person)?)),
        (None, true, _) => (AccountKind::Operator, None),
        _ => (AccountKind::Auditor, None),
    };
    let password = args.password_stdin.then(password_from_stdin).transpose()?;
    let (principal, one_time) = app.add_account(&args.login, kind, person, password).await?;
    eprintln!(
        "ok: учётная запись «{}» ({}) открыта: {}",
        principal.login,
        kind.name(),
        principal.account
    );
    print_one_time(one_time);
    Ok(())
}

async fn reset(app: &App, args: ResetArgs) -> Result<(), Failure> {
    let password = args.password_stdin.then(password_from_stdin).transpose()?;
    let one_time = app.reset_password(&args.login, password).await?;
    eprintln!(
        "ok: пароль учётной записи «{}» заменён, её сессии завершены",
        args.login
    );
    print_one_time(one_time);
    Ok(())
}

fn print_one_time(one_time: Option<String>) {
    if let Some(password) = one_time {
        println!("{password}");
        eprintln!("одноразовый пароль выше: передайте его владельцу, он показан один раз");
    }
}

async fn list(app: &App, args: ListArgs) -> Result<(), Failure> {
    let accounts = app.accounts().await?;
    let mut out = std::io::stdout().lock();
    let written = match args.format {
        Format::Json => serde_json::to_writer_pretty(&mut out, &accounts)
            .map_err(std::io::Error::from)
            .and_then(|()| writeln!(out)),
        Format::Table => {
            let rows: Vec<Vec<String>> = accounts.iter().map(row).collect();
            table::write(
                &mut out,
                &["логин", "вид", "лицо", "состояние", "открыта"],
                &rows,
            )
        }
    };
    written.map_err(|e| io_failure("не удалось вывести учётные записи", e))
}

fn row(account: &AccountSummary) -> Vec<String> {
    let state = match account.disabled_at {
        Some(at) => format!("отключена {}", at.format("%Y-%m-%d %H:%M")),
        None => "действует".into(),
    };
    vec![
        account.login.clone(),
        account.kind.name().into(),
        account
            .person
            .map(|p| p.to_string())
            .unwrap_or_else(|| "—".into()),
        state,
        account.created_at.format("%Y-%m-%d %H:%M").to_string(),
    ]
}

/// One line of stdin, its line end dropped; refused when empty.
fn password_from_stdin() -> Result<String, Failure> {
    let mut text = String::new();
    std::io::stdin()
        .read_to_string(&mut text)
        .map_err(|e| io_failure("не удалось прочитать пароль из stdin", e))?;
    let password = text
        .strip_suffix('\n')
        .map(|t| t.strip_suffix('\r').unwrap_or(t))
        .unwrap_or(&text);
    if password.is_empty() {
        return Err(Failure::new(
            "invalid_argument",
            "--password-stdin: на входе нет пароля",
        ));
    }
    if password.contains('\n') {
        return Err(Failure::new(
            "invalid_argument",
            "--password-stdin: пароль должен быть одной строкой",
        ));
    }
    Ok(password.to_string())
}

fn person_of(text: &str) -> Result<PersonId, Failure> {
    PersonId::parse(text).map_err(|e| Failure::new("invalid_argument", format!("--person: {e}")))
}
