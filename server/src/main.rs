use clap::Parser;
use liaison_app::{overlaps::candidates::Matching, server::audit};
use liaison_server::{
    accounts,
    config::{Cli, Command, LogFormat},
    db, demo,
    startup::Application,
};
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| "info,sqlx=warn,sea_orm=warn".into());
    match cli.config.log_format {
        // One JSON object per line (time, level, message, fields, target) for a collector.
        LogFormat::Json => tracing_subscriber::fmt()
            .json()
            .flatten_event(true)
            .with_current_span(false)
            .with_span_list(false)
            .with_env_filter(filter)
            .init(),
        LogFormat::Text => tracing_subscriber::fmt().with_env_filter(filter).init(),
    }
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("liaison-server: {err:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let json_logs = cli.config.log_format == LogFormat::Json;
    let config = cli.config.validate()?;
    match cli.command.clone().unwrap_or(Command::Serve) {
        Command::Serve => {
            let app = Application::build(config).await?;
            if json_logs {
                tracing::info!(
                    address = %app.local_addr(),
                    database = app.database_description(),
                    "Liaison is running"
                );
            } else {
                println!(
                    "Liaison is running at http://{} (database: {})",
                    app.local_addr(),
                    app.database_description()
                );
            }
            app.run_until_stopped().await
        }
        Command::Migrate => {
            db::connect(&config.database_url).await?;
            println!("Database is up to date.");
            Ok(())
        }
        Command::LoadDemoData => {
            let db = db::connect(&config.database_url).await?;
            let matching = Matching::new(config.secret_key.expose());
            let today = liaison_app::server::time::today();
            match demo::load_once_with_history(&db, &matching, today).await? {
                demo::Outcome::Loaded => println!("Demo data loaded."),
                demo::Outcome::AlreadyPresent => println!("Demo data was already loaded."),
            }
            Ok(())
        }
        Command::CreateAdmin {
            username,
            name,
            email,
            organisation,
        } => {
            let db = db::connect(&config.database_url).await?;
            let mut password = String::new();
            std::io::stdin().read_line(&mut password)?;
            let password = password.trim_end_matches(['\r', '\n']).to_owned();
            let id = accounts::create_admin(&db, &username, &name, &email, &organisation, password)
                .await?;
            println!("Administrator {username} created (user {id}).");
            Ok(())
        }
        Command::CreateApiClient {
            name,
            organisation,
            joint_ventures,
            scopes,
            valid_days,
            rate_per_minute,
            by,
        } => {
            let db = db::connect(&config.database_url).await?;
            let registration = accounts::ApiClientRegistration {
                name,
                organisation,
                joint_ventures,
                scopes,
                valid_days,
                rate_per_minute,
            };
            let issued = accounts::create_api_client(&db, &by, registration).await?;
            println!("{}", issued.token);
            eprintln!(
                "API client {} registered; its token (above) is valid until {} and is not shown again.",
                issued.client, issued.expires_at
            );
            Ok(())
        }
        Command::Rescan => {
            let started = std::time::Instant::now();
            let report = liaison_server::startup::rescan(&config).await?;
            println!(
                "Re-scanned {} subjects and {} operations in {:.1} s: {} new overlaps.",
                report.subjects,
                report.operations,
                started.elapsed().as_secs_f64(),
                report.new_overlaps
            );
            Ok(())
        }
        Command::TrainMatching => {
            let started = std::time::Instant::now();
            match liaison_server::startup::train_matching(&config).await? {
                Some(t) => println!(
                    "Estimated the person model from {} persons in {:.1} s: {} random and {} compared pairs, {} iterations{}, {:.0} expected matches.",
                    t.persons,
                    started.elapsed().as_secs_f64(),
                    t.estimate.random_pairs,
                    t.estimate.blocked_pairs,
                    t.estimate.iterations,
                    if t.estimate.converged {
                        ""
                    } else {
                        " (not converged)"
                    },
                    t.estimate.expected_matches
                ),
                None => println!(
                    "Too little data to estimate the person model from (persons of at least two joint ventures, and enough pairs to compare, are needed); the parameters in force stay."
                ),
            }
            Ok(())
        }
        Command::Deadlines => {
            let db = db::connect(&config.database_url).await?;
            let holder = liaison_app::server::leases::holder_name();
            let report =
                liaison_app::jobs::run_job(&db, &config.settings, &holder, chrono::Utc::now())
                    .await
                    .map_err(|err| anyhow::anyhow!("the deadline job failed: {err}"))?;
            if report.ran {
                println!(
                    "Deadline job: {} flags raised, {} cleared, {} e-mails sent.",
                    report.flags_raised, report.flags_cleared, report.mail_sent
                );
            } else {
                println!("Another instance is running the deadline job; nothing done.");
            }
            Ok(())
        }
        Command::Backup { to } => {
            let started = std::time::Instant::now();
            let written = liaison_server::backup::backup(&config.database_url, &to).await?;
            println!(
                "{} written to {} in {:.1} s.",
                match written {
                    liaison_server::backup::Written::Sqlite => "An SQLite copy",
                    liaison_server::backup::Written::PgDump => "A pg_dump archive",
                },
                to.display(),
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::Retention => {
            let db = db::connect(&config.database_url).await?;
            let holder = liaison_app::server::leases::holder_name();
            let report = liaison_app::retention::purge::run(
                &db,
                &config.settings,
                &holder,
                chrono::Utc::now(),
            )
            .await
            .map_err(|err| anyhow::anyhow!("the retention job failed: {err}"))?;
            match report {
                Some(c) => println!(
                    "Retention job: the personal data of {} cases ({} subjects), {} signals ({} subjects) and {} overlaps ({} notes) deleted, and {} drafts.",
                    c.cases,
                    c.subjects,
                    c.signals,
                    c.signal_subjects,
                    c.overlaps,
                    c.notes,
                    c.drafts
                ),
                None => println!(
                    "The retention job ran today already, or another instance is running it; nothing done."
                ),
            }
            Ok(())
        }
        Command::VerifyAudit => {
            let db = db::connect(&config.database_url).await?;
            match audit::verify(&db).await? {
                audit::Verification::Intact { events, head } => {
                    println!("The audit trail is intact: {events} events, last hash {head}.");
                    Ok(())
                }
                audit::Verification::Broken { event_id, reason } => {
                    match event_id {
                        Some(id) => println!("The audit trail is broken at event {id}: {reason}."),
                        None => println!("The audit trail is broken: {reason}."),
                    }
                    std::process::exit(3)
                }
            }
        }
    }
}
