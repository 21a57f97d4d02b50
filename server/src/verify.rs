//! `metod verify`: recompute the hash chain of the whole log; a break exits with code 3.

use app::App;
use store::Verification;

use crate::failure::Failure;

pub async fn run(app: &App) -> Result<(), Failure> {
    match app.verify().await? {
        Verification::Intact { events, head } => {
            println!("ok: {events} events, head {}", hex::encode(head));
            Ok(())
        }
        Verification::Broken { position, reason } => Err(Failure::new(
            "integrity_broken",
            format!("цепочка хешей нарушена на позиции {position}: {reason}"),
        )),
    }
}
