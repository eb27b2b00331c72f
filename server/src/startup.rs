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
use tokio::{net::TcpListener, task::JoinHandle};
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
    /// The bearer token `/metrics` is served with (`None`: not served).
    pub metrics_token: Option<crate::config::SecretKey>,
    /// The proxies whose `X-Forwarded-For` is believed.
    pub trusted_proxies: std::sync::Arc<[ipnet::IpNet]>,
    /// Each API client's request rate on this instance.
    pub api_limits: std::sync::Arc<liaison_app::rest::call::RateLimits>,
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
            metrics_token: config.metrics_token.clone(),
            trusted_proxies: config.trusted_proxies.clone().into(),
            api_limits: Default::default(),
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

/// `liaison-server train-matching`: estimates the person model from the stored persons now.
pub async fn train_matching(
    config: &Config,
) -> anyhow::Result<Option<liaison_app::overlaps::training::Trained>> {
    let db = db::connect(&config.database_url).await?;
    liaison_app::overlaps::training::train(
        &db,
        &matching(config),
        liaison_app::overlaps::training::Trainer::Cli,
    )
    .await
    .map_err(|err| anyhow::anyhow!("estimating the person model failed: {err}"))
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
    let trusted = state.trusted_proxies.clone();
    let render = {
        let options = state.leptos_options.clone();
        move || shell(options.clone())
    };
    // The REST API has its own rules: a token instead of a session, problem details instead of
    // pages, and no cookies at all (so no cross-site refusal either).
    let api = liaison_app::rest::router(liaison_app::rest::call::RestState {
        db: state.db.clone(),
        matching: state.matching.clone(),
        settings: state.settings.clone(),
        limits: state.api_limits.clone(),
    });
    let pages = Router::new()
        .route("/healthz", get(routes::health))
        .route("/livez", get(routes::live))
        .route("/metrics", get(crate::metrics::serve))
        .route(LANGUAGE_PATH, post(routes::choose_language))
        .leptos_routes_with_context(&state, routes, context.clone(), render)
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(context, shell))
        .layer(sessions)
        .layer(middleware::from_fn(limits::request_limits))
        .layer(middleware::from_fn(forms::error_page))
        .layer(middleware::from_fn(security::refuse_cross_site));
    Router::new()
        .nest("/api/v1", api)
        .merge(pages)
        .layer(middleware::from_fn(
            move |request: axum::extract::Request, next: middleware::Next| {
                security::headers(https, request, next)
            },
        ))
        .layer(middleware::from_fn(routes::retry_after))
        .layer(middleware::from_fn(crate::metrics::track))
        .layer(CompressionLayer::new())
        .layer(middleware::from_fn(
            move |request: axum::extract::Request, next: middleware::Next| {
                crate::proxies::forwarded_client(trusted.clone(), request, next)
            },
        ))
        .layer(CatchPanicLayer::custom(limits::panic_response))
        .with_state(state)
}

pub struct Application {
    listener: TcpListener,
    router: Router,
    database: String,
    db: DatabaseConnection,
    /// This instance's name on the job leases.
    holder: String,
    jobs: Vec<JoinHandle<()>>,
}

/// The background re-scan: catches anything a save could not see (a benign entry that expired,
/// a secret that was rotated). One instance at a time runs it (a lease in the database); it
/// only adds overlaps that are missing, and the unique index refuses a second copy.
/// With `at_once` (subjects stored without keys: a migration changed the keys, or a restore
/// left them out) the first re-scan runs at once; with no `every`, only that one runs. Before
/// replaying, the re-scan estimates the person model again from the stored persons.
fn spawn_rescans(
    db: DatabaseConnection,
    matching: Matching,
    holder: String,
    every: Option<Duration>,
    at_once: bool,
) -> JoinHandle<()> {
    use liaison_app::server::leases::{finish_lease, take_lease};
    tokio::spawn(async move {
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
            let started = chrono::Utc::now();
            let trainer = liaison_app::overlaps::training::Trainer::Rescan;
            if let Err(err) = liaison_app::overlaps::training::train(&db, &matching, trainer).await
            {
                tracing::warn!(error = %err, "estimating the person model failed; the one in force stays");
            }
            let outcome = liaison_app::overlaps::rescan::rescan(&db, &matching).await;
            // Done: no other instance re-scans before this one's next turn.
            let kept_until = every
                .filter(|_| outcome.is_ok())
                .map(|every| started + lease_period(every));
            let held = finish_lease(&db, "rescan", &holder, kept_until).await;
            if let Err(err) = held {
                tracing::warn!(error = %err, "background re-scan could not release its lease");
            }
            crate::metrics::job_ran("rescan", outcome.is_err());
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
    })
}

/// How long the instance that ran a job every `every` keeps its lease: a second less than the
/// period, so that if it is gone the next instance to tick a period later takes over (the
/// holder itself may always take it again).
fn lease_period(every: Duration) -> chrono::Duration {
    chrono::Duration::from_std(every).unwrap_or(chrono::Duration::hours(24))
        - chrono::Duration::seconds(1)
}

/// The deadline job (flags, escalations, e-mail) every `every`; one instance at a time.
fn spawn_deadlines(
    db: DatabaseConnection,
    settings: Settings,
    holder: String,
    every: Duration,
) -> JoinHandle<()> {
    let period = lease_period(every);
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(every);
        loop {
            ticks.tick().await;
            let outcome = liaison_app::jobs::run_scheduled(
                &db,
                &settings,
                &holder,
                chrono::Utc::now(),
                period,
            )
            .await;
            match &outcome {
                Ok(report) if report.ran => crate::metrics::job_ran("deadlines", false),
                Ok(_) => {}
                Err(_) => crate::metrics::job_ran("deadlines", true),
            }
            match outcome {
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
    })
}

/// The retention job: every hour a look whether today's run is due; the first instance to take
/// the lease after midnight (Europe/Amsterdam) runs it, the others find it done.
fn spawn_retention(db: DatabaseConnection, settings: Settings, holder: String) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(Duration::from_secs(3600));
        loop {
            ticks.tick().await;
            match liaison_app::retention::purge::run(&db, &settings, &holder, chrono::Utc::now())
                .await
            {
                Ok(Some(counts)) => {
                    crate::metrics::job_ran("retention", false);
                    tracing::info!(?counts, "retention job done")
                }
                Ok(None) => {}
                Err(err) => {
                    crate::metrics::job_ran("retention", true);
                    tracing::warn!(error = %err, "retention job failed")
                }
            }
        }
    })
}

/// The ministry's summary, counted ahead: at start-up every quarter it may show, then every
/// third of `summary_max_age_minutes` a look whether a new day's figures are due, so that soon
/// after midnight (Europe/Amsterdam) the current quarter is counted up to the end of the day
/// before; other runs only read snapshots. Two instances count up to the same midnight.
fn spawn_summaries(db: DatabaseConnection, settings: Settings, holder: String) -> JoinHandle<()> {
    use liaison_app::server::leases::{finish_lease, take_lease};
    let minutes = u64::from(settings.summary_max_age_minutes / 3).max(1);
    let period = lease_period(Duration::from_secs(60 * minutes));
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(Duration::from_secs(60 * minutes));
        loop {
            ticks.tick().await;
            // One instance counts; the others find the snapshots it kept.
            match take_lease(&db, "summaries", &holder, chrono::Utc::now(), 1800).await {
                Ok(true) => {}
                Ok(false) => continue,
                Err(err) => {
                    tracing::warn!(error = %err, "the summary job could not take its lease");
                    continue;
                }
            }
            let started = chrono::Utc::now();
            let outcome = liaison_app::reports::snapshots::refresh(&db, &settings).await;
            let kept_until = outcome.is_ok().then(|| started + period);
            let held = finish_lease(&db, "summaries", &holder, kept_until).await;
            if let Err(err) = held {
                tracing::warn!(error = %err, "the summary job could not release its lease");
            }
            match outcome {
                Ok(counted) => {
                    crate::metrics::job_ran("summaries", false);
                    tracing::debug!(counted, "summaries counted")
                }
                Err(err) => {
                    crate::metrics::job_ran("summaries", true);
                    tracing::warn!(error = %err, "counting the summaries failed")
                }
            }
        }
    })
}

impl Application {
    /// Opens the database (migrating it), loads demo data when configured, and binds the port.
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        let db = db::connect(&config.database_url).await?;
        // The demo's invented people get no e-mail; everything found later does.
        let demo_matching = Matching::new(config.secret_key.expose());
        // The portal's demo data comes with a year of history before the day it is loaded.
        let today = liaison_app::server::time::today();
        if config.demo_data {
            // Of several instances starting together, one loads it; the others find it there.
            let lock = db::start_lock(&config.database_url).await?;
            let loaded = demo::load_once_with_history(&db, &demo_matching, today).await;
            db::release_start_lock(lock).await;
            if loaded? == demo::Outcome::Loaded {
                tracing::info!("demo data loaded");
            }
        }
        let listener = TcpListener::bind(config.listen)
            .await
            .with_context(|| format!("could not listen on {}", config.listen))?;
        let holder = liaison_app::server::leases::holder_name();
        let mut jobs = Vec::new();
        crate::metrics::spawn_upkeep();
        // Sessions that ran out stay in the table until this removes them; every instance may
        // run it, deleting expired rows is idempotent.
        let store = DbSessionStore::new(db.clone());
        jobs.push(tokio::spawn(async move {
            let mut every_five_minutes = tokio::time::interval(Duration::from_secs(300));
            loop {
                every_five_minutes.tick().await;
                if let Err(err) = store.delete_expired().await {
                    tracing::warn!(error = %err, "could not delete expired sessions");
                }
            }
        }));
        let keys_missing = liaison_app::overlaps::rescan::keys_missing(&db)
            .await
            .map_err(|err| anyhow::anyhow!("could not read the match keys: {err}"))?;
        if keys_missing {
            tracing::info!("subjects without match keys: re-scanning now");
        }
        // One set of matching settings for the pages, the API and the jobs: a model estimated
        // by any of them is in force for all.
        let shared = matching(&config);
        liaison_app::overlaps::training::load(&db, &shared)
            .await
            .map_err(|err| anyhow::anyhow!("could not read the person model: {err}"))?;
        // Every common name, date and nationality counted now and every nine minutes, so that a
        // save seldom counts one itself.
        jobs.push(tokio::spawn({
            let (db, shared) = (db.clone(), shared.clone());
            async move {
                let mut every = tokio::time::interval(liaison_app::overlaps::frequencies::REFRESH);
                loop {
                    every.tick().await;
                    if let Err(err) =
                        liaison_app::overlaps::frequencies::refresh(&db, &shared).await
                    {
                        tracing::warn!(error = %err, "could not count the common values");
                    }
                }
            }
        }));
        // A model estimated on another instance (or by the CLI) is in force here within a minute.
        jobs.push(tokio::spawn({
            let (db, shared) = (db.clone(), shared.clone());
            async move {
                let mut every_minute = tokio::time::interval(Duration::from_secs(60));
                loop {
                    every_minute.tick().await;
                    if let Err(err) = liaison_app::overlaps::training::load(&db, &shared).await {
                        tracing::warn!(error = %err, "could not read the stored person model");
                    }
                }
            }
        }));
        if config.rescan_every.is_some() || keys_missing {
            jobs.push(spawn_rescans(
                db.clone(),
                shared.clone(),
                holder.clone(),
                config.rescan_every,
                keys_missing,
            ));
        }
        if let Some(every) = config.deadline_every {
            jobs.push(spawn_deadlines(
                db.clone(),
                config.settings.clone(),
                holder.clone(),
                every,
            ));
        }
        jobs.push(spawn_summaries(
            db.clone(),
            config.settings.clone(),
            holder.clone(),
        ));
        // The review date and retention end of whatever has none yet (a new database, the
        // first start after the migration); saves, rule changes and the daily job keep them.
        liaison_app::retention::store::date_undated(&db)
            .await
            .map_err(|err| anyhow::anyhow!("could not count the retention dates: {err}"))?;
        if config.retention_job {
            jobs.push(spawn_retention(
                db.clone(),
                config.settings.clone(),
                holder.clone(),
            ));
        }
        let state = AppState {
            matching: shared,
            ..AppState::new(&config, db.clone())
        };
        Ok(Self {
            listener,
            router: router(state),
            database: db::describe(&config.database_url),
            db,
            holder,
            jobs,
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

    /// Serves until SIGTERM or Ctrl-C, then shuts down gracefully: no new connections, the
    /// requests in flight are answered, the background jobs stop (a job stopped mid-run leaves
    /// nothing half done: each step is one transaction, rolled back), and this instance's job
    /// leases are released so that another instance can take them over at once.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        self.run_until(shutdown_signal()).await
    }

    /// [`Self::run_until_stopped`] with the stop signal given (tests send their own).
    pub async fn run_until(
        self,
        stop: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let served = axum::serve(
            self.listener,
            self.router
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(stop)
        .await
        .context("the server stopped unexpectedly");
        tracing::info!("stopping: requests answered, stopping the background jobs");
        for job in &self.jobs {
            job.abort();
        }
        for job in self.jobs {
            let _ = job.await;
        }
        match liaison_app::server::leases::release_all(&self.db, &self.holder).await {
            Ok(released) => tracing::info!(released, "job leases released"),
            Err(err) => tracing::warn!(error = %err, "could not release the job leases"),
        }
        let _ = self.db.close().await;
        served
    }

    /// This instance's name on the job leases.
    pub fn lease_holder(&self) -> &str {
        &self.holder
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
