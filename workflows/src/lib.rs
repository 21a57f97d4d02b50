//! The approval engine: chain definitions from the regulation profile, process managers
//! that react to events and issue commands (only through `commands`), and durable deadline
//! timers derived from the log. (Built in the "Workflow engine" issue; empty until then.)
