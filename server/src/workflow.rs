//! `metod workflow run`: reactions to events and deadline timers, once or `--follow`.

use std::time::Duration;

use app::App;
use workflows::RunReport;

use crate::cli::WorkflowCommand;
use crate::failure::Failure;

pub async fn run(app: &App, command: WorkflowCommand) -> Result<(), Failure> {
    let WorkflowCommand::Run {
        follow,
        poll_seconds,
    } = command;
    // A refusal is printed by the pass that records it; it stays in the log
    // (`metod events --stream workflow-refusals`, the document's trail), so a timer the rules
    // refuse again on every pass is not printed again.
    let print = |report: &RunReport| {
        println!(
            "workflow: реакций записано {}, пропущенных сроков записано {}, отказов правил записано {}, обработано до позиции {}",
            report.reactions,
            report.deadlines,
            report.refusals_recorded(),
            report.position
        );
        for refusal in report.refused.iter().filter(|r| r.newly_recorded) {
            eprintln!("workflow: {}", refusal.describe());
        }
    };
    if follow {
        let stop = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        app.follow_workflow(Duration::from_secs(poll_seconds.max(1)), stop, print)
            .await?;
    } else {
        print(&app.run_workflow().await?);
    }
    Ok(())
}
