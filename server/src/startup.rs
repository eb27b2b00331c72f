//! Building and running the application: what production runs is what the tests run.

use crate::{
    config::{Config, Mode},
    db, demo, forms, limits, routes, security,
};
use anyhow::Context;
use axum::{
    Router,
    extract::FromRef,
    middleware,
    routing::{get, post},
};
use leptos::prelude::*;
use leptos_axum::{AxumRouteListing, LeptosRoutes, generate_route_list};
use liaison_app::{
    App, language::LANGUAGE_PATH, server::caller::SessionPolicy,
    server::session_store::DbSessionStore, shell,
};
use liaison_app::{overlaps::candidates::Matching, settings::Settings};
use sea_orm::DatabaseConnection;
use std::net::SocketAddr;
use std::{sync::OnceLock, time::Duration};
use tokio::net::TcpListener;
use tower_http::{catch_panic::CatchPanicLayer, compression::CompressionLayer};
use tower_sessions::{ExpiredDeletion, Expiry, SessionManagerLayer, cookie::SameSite};

/// cargo-leptos names the WebAssembly and CSS after this (`output-name` in Cargo.toml).
pub const OUTPUT_NAME: &str = "liaison";

#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: DatabaseConnection,
    pub session_idle: Duration,
    pub session_policy: SessionPolicy,
    pub https: bool,
    pub matching: Matching,
    pub settings: Settings,
}

impl AppState {
    pub fn new(config: &Config, db: DatabaseConnection) -> Self {
        Self {
            leptos_options: leptos_options(config),
            db,
            session_idle: config.session_idle,
            session_policy: SessionPolicy {
                absolute: config.session_absolute,
            },
            https: config.https,
            matching: matching(config),
            settings: config.settings.clone(),
        }
    }
}

/// What overlap detection runs with under this configuration: the key secret, and the
/// configured e-mail, so that an overlap found by a save, the background re-scan or the CLI
/// tells both sides the same way.
pub fn matching(config: &Config) -> Matching {
    Matching::new(config.secret_key.expose()).with_mail(config.settings.mail.clone())
}

/// `liaison-server rescan`: one full re-scan of the configured database, now.
pub async fn rescan(config: &Config) -> anyhow::Result<liaison_app::overlaps::rescan::Rescan> {
    let db = db::connect(&config.database_url).await?;
    liaison_app::overlaps::rescan::rescan(&db, &matching(config))
        .await
        .map_err(|err| anyhow::anyhow!("the re-scan failed: {err}"))
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

pub fn leptos_options(config: &Config) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name(OUTPUT_NAME)
        .site_root(config.site_root.to_string_lossy().into_owned())
        .site_pkg_dir("pkg")
        .site_addr(config.listen)
        .env(match config.mode {
            Mode::Development => Env::DEV,
            Mode::Production => Env::PROD,
        })
        .build()
}

/// Route generation renders the app once with resource loading suppressed by a
/// *process-global* flag; a page rendering at that moment would wait forever (leptos#4773).
/// Generating once per process keeps generation and rendering apart, also when tests build
/// many routers side by side.
static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();

/// The complete router: pages, server functions, plain routes, static files, middleware.
pub fn router(state: AppState) -> Router {
    let routes = ROUTES.get_or_init(|| generate_route_list(App)).clone();
    let context = {
        let db = state.db.clone();
        let policy = state.session_policy;
        let matching = state.matching.clone();
        let settings = state.settings.clone();
        move || {
            provide_context(db.clone());
            provide_context(policy);
            provide_context(matching.clone());
            provide_context(settings.clone());
            provide_context(liaison_app::server::caller::RequestUser::default());
        }
    };
    // Over HTTPS the `__Host-` prefix binds the cookie to this exact host and path.
    let sessions = SessionManagerLayer::new(DbSessionStore::new(state.db.clone()))
        .with_name(if state.https {
            "__Host-liaison_session"
        } else {
            "liaison_session"
        })
        .with_http_only(true)
        .with_same_site(SameSite::Strict)
        .with_secure(state.https)
        .with_path("/")
        .with_expiry(Expiry::OnInactivity(
            time::Duration::try_from(state.session_idle).unwrap_or(time::Duration::minutes(30)),
        ));
    let https = state.https;
    let render = {
        let options = state.leptos_options.clone();
        move || shell(options.clone())
    };
    Router::new()
        .route("/healthz", get(routes::health))
        .route(LANGUAGE_PATH, post(routes::choose_language))
        .leptos_routes_with_context(&state, routes, context.clone(), render)
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(context, shell))
        .layer(sessions)
        .layer(middleware::from_fn(limits::request_limits))
        .layer(middleware::from_fn(forms::error_page))
        .layer(middleware::from_fn(security::refuse_cross_site))
        .layer(middleware::from_fn(
            move |request: axum::extract::Request, next: middleware::Next| {
                security::headers(https, request, next)
            },
        ))
        .layer(CompressionLayer::new())
        .layer(CatchPanicLayer::custom(limits::panic_response))
        .with_state(state)
}

pub struct Application {
    listener: TcpListener,
    router: Router,
    database: String,
}

/// The background re-scan: catches anything a save could not see (a benign entry that expired,
/// a secret that was rotated). One instance at a time runs it (a lease in the database); it
/// only adds overlaps that are missing, and the unique index refuses a second copy.
/// With `at_once` (subjects stored without keys: a migration changed the keys, or a restore
/// left them out) the first re-scan runs at once; with no `every`, only that one runs.
fn spawn_rescans(
    db: DatabaseConnection,
    matching: Matching,
    every: Option<Duration>,
    at_once: bool,
) {
    use liaison_app::{
        server::leases::holder_name, server::leases::release_lease, server::leases::take_lease,
    };
    tokio::spawn(async move {
        let holder = holder_name();
        let mut ticks = every.map(tokio::time::interval);
        if let Some(ticks) = &mut ticks {
            ticks.tick().await;
        }
        let mut first = true;
        loop {
            match &mut ticks {
                _ if first && at_once => {}
                Some(ticks) => {
                    ticks.tick().await;
                }
                None => break,
            }
            first = false;
            // Six hours covers a re-scan of millions of subjects; it is released when done.
            match take_lease(&db, "rescan", &holder, chrono::Utc::now(), 6 * 3600).await {
                Ok(true) => {}
                Ok(false) => continue,
                Err(err) => {
                    tracing::warn!(error = %err, "background re-scan could not take its lease");
                    continue;
                }
            }
            let outcome = liaison_app::overlaps::rescan::rescan(&db, &matching).await;
            if let Err(err) = release_lease(&db, "rescan", &holder).await {
                tracing::warn!(error = %err, "background re-scan could not release its lease");
            }
            match outcome {
                Ok(report) => tracing::info!(
                    subjects = report.subjects,
                    operations = report.operations,
                    new_overlaps = report.new_overlaps,
                    "background re-scan done"
                ),
                Err(err) => tracing::warn!(error = %err, "background re-scan failed"),
            }
        }
    });
}

/// The deadline job (flags, escalations, e-mail) every `every`; one instance at a time.
fn spawn_deadlines(db: DatabaseConnection, settings: Settings, every: Duration) {
    tokio::spawn(async move {
        let holder = liaison_app::server::leases::holder_name();
        let mut ticks = tokio::time::interval(every);
        loop {
            ticks.tick().await;
            match liaison_app::jobs::run_job(&db, &settings, &holder, chrono::Utc::now()).await {
                Ok(report) if report.ran => tracing::debug!(
                    raised = report.flags_raised,
                    cleared = report.flags_cleared,
                    mail = report.mail_sent,
                    "deadline job done"
                ),
                Ok(_) => {}
                Err(err) => tracing::warn!(error = %err, "deadline job failed"),
            }
        }
    });
}

/// The retention job: every hour a look whether today's run is due; the first instance to take
/// the lease after midnight (Europe/Amsterdam) runs it, the others find it done.
fn spawn_retention(db: DatabaseConnection, settings: Settings) {
    tokio::spawn(async move {
        let holder = liaison_app::server::leases::holder_name();
        let mut ticks = tokio::time::interval(Duration::from_secs(3600));
        loop {
            ticks.tick().await;
            match liaison_app::retention::purge::run(&db, &settings, &holder, chrono::Utc::now())
                .await
            {
                Ok(Some(counts)) => tracing::info!(?counts, "retention job done"),
                Ok(None) => {}
                Err(err) => tracing::warn!(error = %err, "retention job failed"),
            }
        }
    });
}

/// The ministry's summary, counted ahead: at start-up every quarter it may show, then every
/// third of `summary_max_age_minutes` a look whether a new day's figures are due, so that soon
/// after midnight (Europe/Amsterdam) the current quarter is counted up to the end of the day
/// before; other runs only read snapshots. Two instances count up to the same midnight.
fn spawn_summaries(db: DatabaseConnection, settings: Settings) {
    let minutes = u64::from(settings.summary_max_age_minutes / 3).max(1);
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(Duration::from_secs(60 * minutes));
        loop {
            ticks.tick().await;
            match liaison_app::reports::snapshots::refresh(&db, &settings).await {
                Ok(counted) => tracing::debug!(counted, "summaries counted"),
                Err(err) => tracing::warn!(error = %err, "counting the summaries failed"),
            }
        }
    });
}

impl Application {
    /// Opens the database (migrating it), loads demo data when configured, and binds the port.
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        let db = db::connect(&config.database_url).await?;
        // The demo's invented people get no e-mail; everything found later does.
        let demo_matching = Matching::new(config.secret_key.expose());
        // The portal's demo data comes with a year of history before the day it is loaded.
        let today = liaison_app::server::time::today();
        if config.demo_data
            && demo::load_once_with_history(&db, &demo_matching, today).await?
                == demo::Outcome::Loaded
        {
            tracing::info!("demo data loaded");
        }
        let listener = TcpListener::bind(config.listen)
            .await
            .with_context(|| format!("could not listen on {}", config.listen))?;
        // Sessions that ran out stay in the table until this removes them; every instance may
        // run it, deleting expired rows is idempotent.
        let store = DbSessionStore::new(db.clone());
        tokio::spawn(async move {
            let mut every_five_minutes = tokio::time::interval(Duration::from_secs(300));
            loop {
                every_five_minutes.tick().await;
                if let Err(err) = store.delete_expired().await {
                    tracing::warn!(error = %err, "could not delete expired sessions");
                }
            }
        });
        let keys_missing = liaison_app::overlaps::rescan::keys_missing(&db)
            .await
            .map_err(|err| anyhow::anyhow!("could not read the match keys: {err}"))?;
        if keys_missing {
            tracing::info!("subjects without match keys: re-scanning now");
        }
        if config.rescan_every.is_some() || keys_missing {
            spawn_rescans(
                db.clone(),
                matching(&config),
                config.rescan_every,
                keys_missing,
            );
        }
        if let Some(every) = config.deadline_every {
            spawn_deadlines(db.clone(), config.settings.clone(), every);
        }
        spawn_summaries(db.clone(), config.settings.clone());
        // The review date and retention end of whatever has none yet (a new database, the
        // first start after the migration); saves, rule changes and the daily job keep them.
        liaison_app::retention::store::date_undated(&db)
            .await
            .map_err(|err| anyhow::anyhow!("could not count the retention dates: {err}"))?;
        if config.retention_job {
            spawn_retention(db.clone(), config.settings.clone());
        }
        let state = AppState::new(&config, db);
        Ok(Self {
            listener,
            router: router(state),
            database: db::describe(&config.database_url),
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound listener has an address")
    }

    pub fn database_description(&self) -> &str {
        &self.database
    }

    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        axum::serve(
            self.listener,
            self.router
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown_signal())
        .await
        .context("the server stopped unexpectedly")
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
