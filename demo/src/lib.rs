//! Realistic synthetic history for metod: a municipality with its districts, organizations,
//! bodies and teachers (synthetic Russian names), its methodical associations and their
//! school years — composition orders, heads by 15 Sep, secretaries elected at the first
//! meeting, member databases by 1 Oct, meetings and protocols, plans in spring with some
//! returned, late or rejected, categories changing, teachers arriving, leaving and moving,
//! a few percent of everything entered late and some protocols corrected; where the profile
//! has one municipal level, its own cycle (001: development records for the indicators; 002:
//! yearly applications, curators, technical assignments, road maps, network-event reports;
//! 004: school and city associations). Every event goes
//! through the real command handler and workflow runner on a stepping clock; the same seed
//! gives the same history.

mod generator;
mod names;
mod rng;

pub use generator::{check, demo_clock, generate, DemoError, DemoReport, DemoSpec, Scale};
