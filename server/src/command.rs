//! `metod command`: commands as JSON through the rules into the log; the events printed.

use std::io::Read;

use app::App;
use domain::Acting;

use crate::cli::{CommandArgs, Format};
use crate::events::write_events;
use crate::failure::{io_failure, Failure};

pub async fn run(app: &App, args: CommandArgs) -> Result<(), Failure> {
    let acting = Acting::parse(&args.acting).map_err(|e| {
        Failure::new(
            "invalid_actor",
            format!(
                "--as «{}»: нужен «operator» или «person:<uuid>» ({e})",
                args.acting
            ),
        )
    })?;
    let text = if args.file.as_os_str() == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| io_failure("не удалось прочитать команду из стандартного ввода", e))?;
        text
    } else {
        std::fs::read_to_string(&args.file).map_err(|e| {
            io_failure(
                &format!("не удалось прочитать файл {}", args.file.display()),
                e,
            )
        })?
    };
    let recorded = app.record(acting, &text).await?;
    print_events(&recorded.events, args.format)?;
    let Some(stopped) = recorded.stopped else {
        return Ok(());
    };
    let failure = Failure::from(stopped.error);
    if stopped.of == 1 {
        return Err(failure);
    }
    // Each command is its own transaction: say what was recorded before.
    Err(failure.prefixed(&format!(
        "команда №{} ({}) не записана, записано команд до неё: {}; ",
        stopped.index + 1,
        stopped.command,
        stopped.index
    )))
}

fn print_events(events: &[store::RecordedEvent], format: Format) -> Result<(), Failure> {
    if events.is_empty() {
        return Ok(());
    }
    let mut out = std::io::stdout().lock();
    write_events(&mut out, events, format).map_err(|e| io_failure("не удалось вывести события", e))
}
