//! In-process HTTP tests of the real router (`oneshot`), on SQLite or PostgreSQL as
//! `LIAISON_TEST_DATABASE` says.

mod access;
mod api_batch;
mod api_cases;
mod api_clients;
mod api_overlaps;
mod auth;
mod backup;
mod bad_input;
mod benign;
mod cases;
mod concurrency;
mod deconfliction;
mod demo_data;
mod disclosure;
mod four_eyes;
mod health;
mod language;
mod matching_model;
mod operations;
mod operators;
mod overlaps;
mod pages;
mod partnership_admin;
mod partnerships;
mod reports;
mod retention;
mod robustness;
mod second_factor;
mod security;
mod server_functions;
mod signals;
mod start_page;
mod subjects;
mod users;
