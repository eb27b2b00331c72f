//! Building and running the application: what production runs is what the tests run.

use crate::{
    config::{Config, Mode},
    db, demo, routes, security,
};
use anyhow::Context;
use axum::{
    Router,
    extract::FromRef,
    middleware,
    routing::{get, post},
};
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};
use liaison_app::{App, language::LANGUAGE_PATH, shell};
use sea_orm::DatabaseConnection;
use std::net::SocketAddr;
use tokio::net::TcpListener;
use tower_http::compression::CompressionLayer;

/// cargo-leptos names the WebAssembly and CSS after this (`output-name` in Cargo.toml).
pub const OUTPUT_NAME: &str = "liaison";

#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: DatabaseConnection,
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

/// The complete router: pages, server functions, plain routes, static files, middleware.
pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let context = {
        let db = state.db.clone();
        move || provide_context(db.clone())
    };
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
        .layer(middleware::from_fn(security::refuse_cross_site))
        .layer(middleware::from_fn(security::headers))
        .layer(CompressionLayer::new())
        .with_state(state)
}

pub struct Application {
    listener: TcpListener,
    router: Router,
    database: String,
}

impl Application {
    /// Opens the database (migrating it), loads demo data when configured, and binds the port.
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        let db = db::connect(&config.database_url).await?;
        if config.demo_data && demo::load_once(&db).await? == demo::Outcome::Loaded {
            tracing::info!("demo data loaded");
        }
        let listener = TcpListener::bind(config.listen)
            .await
            .with_context(|| format!("could not listen on {}", config.listen))?;
        let state = AppState {
            leptos_options: leptos_options(&config),
            db,
        };
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
        axum::serve(self.listener, self.router)
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
