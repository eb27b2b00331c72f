//! Configuration from flags and environment. Validation happens once, here: the rest of the
//! server receives a [`Config`] it can trust.

use clap::{Args, Parser, Subcommand, ValueEnum, builder::BoolishValueParser};
use liaison_app::{
    overlaps::workflow::Deadlines, server::mail::Mail, server::mail::Mailer, settings::Settings,
    signals::rules::SignalDeadlines,
};
use std::sync::Arc;
use std::{fmt, net::SocketAddr, path::PathBuf};

/// Development secret: good enough to try Liaison on one's own machine, refused in production.
const DEVELOPMENT_SECRET: &str = "liaison-development-secret-do-not-use-in-production";
const MINIMUM_SECRET_LENGTH: usize = 32;

#[derive(Debug, Parser)]
#[command(
    name = "liaison-server",
    version,
    about = "Liaison: the coordination portal of the joint ventures against people smuggling, \
             human trafficking and terrorism."
)]
pub struct Cli {
    #[command(flatten)]
    pub config: RawConfig,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Apply migrations, load demo data when enabled, and serve the portal (the default).
    Serve,
    /// Apply all database migrations and exit.
    Migrate,
    /// Load the demo data set (development mode only) and exit; does nothing if it is present.
    LoadDemoData,
    /// Create an administrator; the password is read from standard input.
    CreateAdmin {
        /// User name to sign in with.
        #[arg(long)]
        username: String,
        /// Full name shown in the portal.
        #[arg(long)]
        name: String,
        #[arg(long)]
        email: String,
        /// Short name of the organisation the administrator belongs to (e.g. JenV).
        #[arg(long)]
        organisation: String,
    },
    /// Register an API client, as an administrator does on `/admin/api-clients`, and print
    /// its token (once). For scripted set-ups and the API test suite.
    CreateApiClient {
        /// The client's name (unique).
        #[arg(long)]
        name: String,
        /// Short name of the client's organisation (e.g. KMar).
        #[arg(long)]
        organisation: String,
        /// A joint venture the client acts for, by name; repeat for several.
        #[arg(long = "joint-venture", required = true)]
        joint_ventures: Vec<String>,
        /// A scope (`cases:write`, `overlaps:read`, …); repeat for several.
        #[arg(long = "scope", required = true)]
        scopes: Vec<String>,
        #[arg(long, default_value_t = 90)]
        valid_days: u32,
        #[arg(long, default_value_t = 600)]
        rate_per_minute: u32,
        /// The administrator registering it (the audit trail names them).
        #[arg(long)]
        by: String,
    },
    /// Verify the audit trail's hash chain; names the first event that does not fit.
    VerifyAudit,
    /// Rebuild every overlap blocking key with the current secret and re-run detection over
    /// all subjects and operations; adds overlaps that are missing. After rotating
    /// LIAISON_SECRET_KEY this is the re-key.
    Rescan,
    /// Estimate the person model from the stored persons (u from random pairs, m by
    /// expectation-maximisation) and store it; running instances take it up at their next job
    /// tick (within a minute), a restart at once.
    TrainMatching,
    /// Run the deadline job once: raise and clear flags, notify and escalate, send e-mail.
    Deadlines,
    /// Copy the database, consistently, while the portal runs: SQLite to a database file,
    /// PostgreSQL to a `pg_dump` archive (restore with `pg_restore --no-owner --dbname=…`).
    Backup {
        /// The file to write; it must not exist yet.
        #[arg(long)]
        to: PathBuf,
    },
    /// Run today's retention job now (if no instance ran it today): delete the personal data
    /// past its retention end, and print what was deleted.
    Retention,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Mode {
    Development,
    Production,
}

#[derive(Debug, Clone, Args)]
pub struct RawConfig {
    /// Database to use: `sqlite://path?mode=rwc` (created if missing) or `postgres://…`.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://data/liaison.db?mode=rwc",
        hide_env_values = true
    )]
    pub database_url: String,

    /// Address and port to listen on.
    #[arg(long, env = "LIAISON_LISTEN", default_value = "127.0.0.1:3000")]
    pub listen: SocketAddr,

    /// Server secret (at least 32 characters) for keyed hashes and signed tokens.
    /// Required in production mode.
    #[arg(long, env = "LIAISON_SECRET_KEY", hide_env_values = true)]
    pub secret_key: Option<String>,

    /// `production` refuses development secrets and demo data.
    #[arg(long, env = "LIAISON_MODE", value_enum, default_value_t = Mode::Development)]
    pub mode: Mode,

    /// Load the demo data set on first start. Defaults to on in development, off in production.
    #[arg(long, env = "LIAISON_DEMO_DATA", value_parser = BoolishValueParser::new())]
    pub demo_data: Option<bool>,

    /// Minutes without activity after which a session ends.
    #[arg(long, env = "LIAISON_SESSION_IDLE_MINUTES", default_value_t = 30)]
    pub session_idle_minutes: u32,

    /// Hours after sign-in after which a session ends however active it is.
    #[arg(long, env = "LIAISON_SESSION_ABSOLUTE_HOURS", default_value_t = 10)]
    pub session_absolute_hours: u32,

    /// Liaison is served over HTTPS (directly or behind a TLS proxy): secure `__Host-` cookies
    /// and HSTS. Defaults to on in production, off in development.
    #[arg(long, env = "LIAISON_HTTPS", value_parser = BoolishValueParser::new())]
    pub https: Option<bool>,

    /// Hours between background re-scans of all overlaps (0: never; `rescan` runs one by hand).
    #[arg(long, env = "LIAISON_RESCAN_HOURS", default_value_t = 24)]
    pub rescan_hours: u32,

    /// Folder with the compiled site (WebAssembly, CSS, assets) built by cargo-leptos.
    #[arg(long, env = "LEPTOS_SITE_ROOT", default_value = "target/site")]
    pub site_root: PathBuf,

    /// Working days to acknowledge an overlap.
    #[arg(long, env = "LIAISON_ACKNOWLEDGE_DAYS", default_value_t = 5)]
    pub acknowledge_days: u32,

    /// Working days to acknowledge an operational conflict.
    #[arg(long, env = "LIAISON_URGENT_ACKNOWLEDGE_DAYS", default_value_t = 1)]
    pub urgent_acknowledge_days: u32,

    /// Working days to decide once both sides acknowledged.
    #[arg(long, env = "LIAISON_DECIDE_DAYS", default_value_t = 10)]
    pub decide_days: u32,

    /// Working days to assess a signal (an urgent one: the next setting).
    #[arg(long, env = "LIAISON_SIGNAL_ASSESS_DAYS", default_value_t = 2)]
    pub signal_assess_days: u32,

    #[arg(long, env = "LIAISON_SIGNAL_URGENT_ASSESS_DAYS", default_value_t = 1)]
    pub signal_urgent_assess_days: u32,

    /// Working days from a signal's assessment to followed up or no action.
    #[arg(long, env = "LIAISON_SIGNAL_DECIDE_DAYS", default_value_t = 10)]
    pub signal_decide_days: u32,

    #[arg(long, env = "LIAISON_SIGNAL_URGENT_DECIDE_DAYS", default_value_t = 5)]
    pub signal_urgent_decide_days: u32,

    /// Days within which a signal about a subject already reported is attached to the
    /// earlier signal.
    #[arg(long, env = "LIAISON_SIGNAL_DUPLICATE_DAYS", default_value_t = 30)]
    pub signal_duplicate_days: u32,

    /// The summary job looks every third of this many minutes (1 to 1440) whether the
    /// ministry's summary has a new day's figures to count. What is published does not depend
    /// on it: the current quarter once a day, counted up to the end of the day before; a
    /// quarter that ended, once and for good. Kept so that existing configurations still start.
    #[arg(long, env = "LIAISON_SUMMARY_MAX_AGE_MINUTES", default_value_t = 15)]
    pub summary_max_age_minutes: u32,

    /// Minutes between runs of the deadline job (flags, escalation, e-mail; 0: never,
    /// `deadlines` runs it once by hand).
    #[arg(long, env = "LIAISON_DEADLINE_MINUTES", default_value_t = 5)]
    pub deadline_minutes: u32,

    /// Run the daily retention job in the background (on unless set to false; `retention`
    /// runs it once by hand). It deletes personal data past its retention end.
    #[arg(long, env = "LIAISON_RETENTION_JOB", value_parser = BoolishValueParser::new())]
    pub retention_job: Option<bool>,

    /// SMTP server for notification e-mail, e.g. `smtp://mail.example:25` or
    /// `smtps://user:password@mail.example`. E-mail is off without it.
    #[arg(long, env = "LIAISON_SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<String>,

    /// Sender of notification e-mail.
    #[arg(
        long,
        env = "LIAISON_MAIL_FROM",
        default_value = "Liaison <liaison@localhost>"
    )]
    pub mail_from: String,

    /// The address users reach Liaison at, for the link in e-mail.
    #[arg(
        long,
        env = "LIAISON_PUBLIC_URL",
        default_value = "http://127.0.0.1:3000"
    )]
    pub public_url: String,

    /// Bearer token for `/metrics` (Prometheus text format), at least 32 characters; without
    /// it `/metrics` is not served.
    #[arg(long, env = "LIAISON_METRICS_TOKEN", hide_env_values = true)]
    pub metrics_token: Option<String>,

    /// Load balancers or TLS proxies in front of Liaison (addresses or ranges, comma-separated,
    /// e.g. `10.0.0.0/24,127.0.0.1`). A request that comes from one of them is taken to be from
    /// the address it names in `X-Forwarded-For`, for the audit trail and sign-in throttling;
    /// from anyone else that header is ignored.
    #[arg(long, env = "LIAISON_TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxies: Vec<String>,

    /// Log lines as text for people (`text`) or one JSON object per line for a log collector
    /// (`json`).
    #[arg(long, env = "LIAISON_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

/// A secret that never shows up in logs or debug output.
#[derive(Clone)]
pub struct SecretKey(String);

impl SecretKey {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretKey(…)")
    }
}

#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: String,
    pub listen: SocketAddr,
    pub secret_key: SecretKey,
    pub mode: Mode,
    pub demo_data: bool,
    pub site_root: PathBuf,
    /// How often the background re-scan runs, if at all.
    pub rescan_every: Option<std::time::Duration>,
    pub session_idle: std::time::Duration,
    pub session_absolute: std::time::Duration,
    pub https: bool,
    /// Deadlines, e-mail and the other settings use-cases take (`liaison_app::settings`).
    pub settings: Settings,
    /// How often the deadline job runs, if at all.
    pub deadline_every: Option<std::time::Duration>,
    /// Whether the daily retention job runs in the background.
    pub retention_job: bool,
    /// The bearer token `/metrics` is served with, if at all.
    pub metrics_token: Option<SecretKey>,
    /// The proxies whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<ipnet::IpNet>,
}

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    #[error(
        "LIAISON_SECRET_KEY (--secret-key) is required in production mode: \
         give at least {MINIMUM_SECRET_LENGTH} random characters"
    )]
    MissingSecret,
    #[error(
        "LIAISON_SECRET_KEY (--secret-key) is too short: give at least {MINIMUM_SECRET_LENGTH} characters"
    )]
    ShortSecret,
    #[error(
        "LIAISON_SECRET_KEY (--secret-key) is the development secret, which production mode refuses"
    )]
    DevelopmentSecret,
    #[error("LIAISON_DEMO_DATA (--demo-data) cannot be on in production mode")]
    DemoDataInProduction,
    #[error("LIAISON_SESSION_IDLE_MINUTES and LIAISON_SESSION_ABSOLUTE_HOURS must be at least 1")]
    ZeroSessionLimit,
    #[error("DATABASE_URL (--database-url) must start with sqlite: or postgres://, not `{0}`")]
    UnsupportedDatabase(String),
    #[error(
        "LIAISON_ACKNOWLEDGE_DAYS, LIAISON_URGENT_ACKNOWLEDGE_DAYS, LIAISON_DECIDE_DAYS and the LIAISON_SIGNAL_*_DAYS settings must be 1 to 100"
    )]
    BadDeadline,
    #[error("LIAISON_SMTP_URL or LIAISON_MAIL_FROM: {0}")]
    BadMail(String),
    #[error(
        "LIAISON_METRICS_TOKEN (--metrics-token) is too short: give at least {MINIMUM_SECRET_LENGTH} characters"
    )]
    ShortMetricsToken,
    #[error(
        "LIAISON_TRUSTED_PROXIES (--trusted-proxies): `{0}` is not an address or a range such as 10.0.0.0/24"
    )]
    BadProxy(String),
}

impl RawConfig {
    pub fn validate(self) -> Result<Config, ConfigError> {
        let scheme = self.database_url.split(':').next().unwrap_or_default();
        if !matches!(scheme, "sqlite" | "postgres" | "postgresql") {
            return Err(ConfigError::UnsupportedDatabase(scheme.to_owned()));
        }
        let secret_key = match (self.mode, self.secret_key) {
            (Mode::Production, None) => return Err(ConfigError::MissingSecret),
            (Mode::Production, Some(s)) if s == DEVELOPMENT_SECRET => {
                return Err(ConfigError::DevelopmentSecret);
            }
            (_, Some(s)) if s.chars().count() < MINIMUM_SECRET_LENGTH => {
                return Err(ConfigError::ShortSecret);
            }
            (_, Some(s)) => s,
            (Mode::Development, None) => DEVELOPMENT_SECRET.to_owned(),
        };
        let demo_data = match (self.mode, self.demo_data) {
            (Mode::Production, Some(true)) => return Err(ConfigError::DemoDataInProduction),
            (Mode::Production, _) => false,
            (Mode::Development, choice) => choice.unwrap_or(true),
        };
        if self.session_idle_minutes == 0 || self.session_absolute_hours == 0 {
            return Err(ConfigError::ZeroSessionLimit);
        }
        let days = [
            self.acknowledge_days,
            self.urgent_acknowledge_days,
            self.decide_days,
            self.signal_assess_days,
            self.signal_urgent_assess_days,
            self.signal_decide_days,
            self.signal_urgent_decide_days,
            self.signal_duplicate_days,
        ];
        if days.iter().any(|d| !(1..=100).contains(d)) {
            return Err(ConfigError::BadDeadline);
        }
        let metrics_token = match self.metrics_token {
            Some(t) if t.trim().is_empty() => None,
            Some(t) if t.chars().count() < MINIMUM_SECRET_LENGTH => {
                return Err(ConfigError::ShortMetricsToken);
            }
            Some(t) => Some(SecretKey(t)),
            None => None,
        };
        let trusted_proxies = self
            .trusted_proxies
            .iter()
            .map(|p| p.trim())
            .filter(|p| !p.is_empty())
            .map(|p| {
                p.parse::<ipnet::IpNet>()
                    .or_else(|_| p.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                    .map_err(|_| ConfigError::BadProxy(p.to_owned()))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let mail = match &self.smtp_url {
            Some(url) if !url.trim().is_empty() => Mail(Some(Arc::new(
                Mailer::new(url, &self.mail_from, &self.public_url)
                    .map_err(ConfigError::BadMail)?,
            ))),
            _ => Mail(None),
        };
        let settings = Settings {
            deadlines: Deadlines {
                acknowledge_days: self.acknowledge_days,
                urgent_acknowledge_days: self.urgent_acknowledge_days,
                decide_days: self.decide_days,
            },
            signals: SignalDeadlines {
                assess_days: self.signal_assess_days,
                urgent_assess_days: self.signal_urgent_assess_days,
                decide_days: self.signal_decide_days,
                urgent_decide_days: self.signal_urgent_decide_days,
            },
            duplicate_days: self.signal_duplicate_days,
            summary_max_age_minutes: self.summary_max_age_minutes.clamp(1, 24 * 60),
            mail,
        };
        Ok(Config {
            session_idle: std::time::Duration::from_secs(u64::from(self.session_idle_minutes) * 60),
            session_absolute: std::time::Duration::from_secs(
                u64::from(self.session_absolute_hours) * 3600,
            ),
            https: self.https.unwrap_or(self.mode == Mode::Production),
            database_url: self.database_url,
            listen: self.listen,
            secret_key: SecretKey(secret_key),
            mode: self.mode,
            demo_data,
            site_root: self.site_root,
            rescan_every: (self.rescan_hours > 0)
                .then(|| std::time::Duration::from_secs(u64::from(self.rescan_hours) * 3600)),
            settings,
            deadline_every: (self.deadline_minutes > 0)
                .then(|| std::time::Duration::from_secs(u64::from(self.deadline_minutes) * 60)),
            retention_job: self.retention_job.unwrap_or(true),
            metrics_token,
            trusted_proxies,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Config, ConfigError> {
        let mut argv = vec!["liaison-server"];
        argv.extend_from_slice(args);
        Cli::try_parse_from(argv)
            .expect("arguments parse")
            .config
            .validate()
    }

    #[test]
    fn development_mode_starts_with_demo_data_and_a_development_secret() {
        let config = parse(&["--database-url", "sqlite://x.db"]).expect("valid");
        assert!(config.demo_data);
        assert_eq!(config.secret_key.expose(), DEVELOPMENT_SECRET);
    }

    #[test]
    fn production_mode_refuses_to_start_without_a_real_secret() {
        assert_eq!(
            parse(&["--mode", "production"]).unwrap_err(),
            ConfigError::MissingSecret
        );
        assert_eq!(
            parse(&["--mode", "production", "--secret-key", DEVELOPMENT_SECRET]).unwrap_err(),
            ConfigError::DevelopmentSecret
        );
        assert_eq!(
            parse(&["--mode", "production", "--secret-key", "short"]).unwrap_err(),
            ConfigError::ShortSecret
        );
    }

    #[test]
    fn production_mode_refuses_demo_data_and_defaults_it_off() {
        let secret = "k3y-with-enough-randomness-0123456789";
        assert_eq!(
            parse(&[
                "--mode",
                "production",
                "--secret-key",
                secret,
                "--demo-data",
                "true"
            ])
            .unwrap_err(),
            ConfigError::DemoDataInProduction
        );
        let config = parse(&["--mode", "production", "--secret-key", secret]).expect("valid");
        assert!(!config.demo_data);
    }

    #[test]
    fn an_unknown_database_is_refused_by_name() {
        assert_eq!(
            parse(&["--database-url", "mysql://localhost/x"]).unwrap_err(),
            ConfigError::UnsupportedDatabase("mysql".into())
        );
    }

    #[test]
    fn metrics_are_off_without_a_token_and_refuse_a_short_one() {
        let config = parse(&[]).expect("valid");
        assert!(config.metrics_token.is_none());
        assert_eq!(
            parse(&["--metrics-token", "short"]).unwrap_err(),
            ConfigError::ShortMetricsToken
        );
        let token = "a-metrics-token-that-is-long-enough-42";
        let config = parse(&["--metrics-token", token]).expect("valid");
        assert_eq!(config.metrics_token.expect("set").expose(), token);
        assert!(!format!("{:?}", parse(&["--metrics-token", token])).contains(token));
    }

    #[test]
    fn trusted_proxies_are_addresses_or_ranges() {
        let config = parse(&["--trusted-proxies", "10.0.0.0/24, 127.0.0.1,::1"]).expect("valid");
        let shown: Vec<String> = config
            .trusted_proxies
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(shown, ["10.0.0.0/24", "127.0.0.1/32", "::1/128"]);
        assert_eq!(
            parse(&["--trusted-proxies", "10.0.0.0/24,lb.internal"]).unwrap_err(),
            ConfigError::BadProxy("lb.internal".into())
        );
        assert!(parse(&[]).expect("valid").trusted_proxies.is_empty());
    }

    #[test]
    fn the_secret_never_appears_in_debug_output() {
        let config =
            parse(&["--secret-key", "a-very-secret-value-that-is-long-enough"]).expect("valid");
        assert!(!format!("{config:?}").contains("a-very-secret-value"));
    }
}
