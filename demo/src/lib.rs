//! Realistic synthetic history for metod: a municipality with its districts, organizations,
//! bodies and teachers (synthetic Russian names), its methodical associations and their
//! school years — composition orders, heads by 15 Sep, secretaries elected at the first
//! meeting, member databases by 1 Oct, meetings announced with their agenda and held with
//! protocols, plans in spring with some returned, late or rejected, every teacher attested
//! again when the five years of a category run out, teachers arriving, leaving and moving,
//! a few percent of everything entered late and some protocols corrected; where the profile
//! has one municipal level, its own cycle (001: each member's yearly diagnostics, training and
//! individual route for the indicators; 002: every teacher's yearly applications to the ГМО of
//! the subject and of the themes, members leaving during the year, curators, technical
//! assignments, road maps, network-event reports; 004: school and city associations). Every
//! event goes
//! through the real command handler and workflow runner on a stepping clock; the same seed
//! gives the same history.

mod generator;
mod names;
mod rng;

pub use generator::{
    check, demo_clock, first_school_year, generate, DemoError, DemoReport, DemoSpec, Scale,
};
