//! Test support: boots the real application against a fresh database of the chosen kind.
//!
//! `LIAISON_TEST_DATABASE=sqlite` (default) gives each test its own SQLite file;
//! `LIAISON_TEST_DATABASE=postgres` gives each test its own freshly created PostgreSQL database
//! on `LIAISON_TEST_POSTGRES` (default `postgres://postgres@127.0.0.1:5432`), dropped afterwards.
//! `make test` runs the suite once with each.

use axum::{Router, body::Body};
use http::{Request, Response};
use http_body_util::BodyExt;
use liaison_app::server::entity::audit_event;
use liaison_server::{
    config::{Config, Mode, RawConfig},
    db, demo,
    startup::{AppState, router},
};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, EntityTrait, QueryOrder};
use std::{
    net::SocketAddr,
    sync::Arc,
    sync::atomic::{AtomicU32, Ordering},
};
use tower::ServiceExt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub fn backend() -> Backend {
    match std::env::var("LIAISON_TEST_DATABASE").as_deref() {
        Ok("postgres") => Backend::Postgres,
        Ok("sqlite") | Err(_) => Backend::Sqlite,
        Ok(other) => panic!("LIAISON_TEST_DATABASE must be sqlite or postgres, not {other}"),
    }
}

fn postgres_server() -> String {
    std::env::var("LIAISON_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into())
}

/// A database that exists for one test only.
pub struct TestDatabase {
    pub url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres { name: String },
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

impl TestDatabase {
    pub async fn new() -> Self {
        match backend() {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("a temporary folder");
                let url = format!("sqlite://{}/liaison.db?mode=rwc", dir.path().display());
                Self {
                    url,
                    cleanup: Cleanup::Sqlite(dir),
                }
            }
            Backend::Postgres => {
                let name = format!(
                    "liaison_test_{}_{}",
                    std::process::id(),
                    COUNTER.fetch_add(1, Ordering::Relaxed)
                );
                let admin = Database::connect(format!("{}/postgres", postgres_server()))
                    .await
                    .expect("PostgreSQL is reachable");
                admin
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .await
                    .expect("old test database dropped");
                admin
                    .execute_unprepared(&format!("CREATE DATABASE {name}"))
                    .await
                    .expect("test database created");
                let _ = admin.close().await;
                Self {
                    url: format!("{}/{name}", postgres_server()),
                    cleanup: Cleanup::Postgres { name },
                }
            }
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Cleanup::Postgres { name } = &self.cleanup {
            let name = name.clone();
            // Drop runs outside any runtime guarantee: use a thread with its own runtime.
            let _ = std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .ok()?;
                runtime.block_on(async {
                    let admin = Database::connect(format!("{}/postgres", postgres_server()))
                        .await
                        .ok()?;
                    admin
                        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .await
                        .ok()?;
                    admin.close().await.ok()
                })
            })
            .join();
        }
    }
}

/// The application as production builds it, on its own database, with demo data.
pub struct TestApp {
    pub router: Router,
    pub db: DatabaseConnection,
    /// Shared by every instance on it; the last one to go drops it.
    pub database: Arc<TestDatabase>,
    /// The matching settings the router runs with: a person model put in force here
    /// (`training::train`, `Matching::set_params`) is the one its saves use.
    pub matching: liaison_app::overlaps::candidates::Matching,
}

/// The `/metrics` token of the test configuration.
pub const METRICS_TOKEN: &str = "metrics-token-of-the-tests-0123456789";

pub fn test_config(database_url: &str) -> Config {
    RawConfig {
        database_url: database_url.to_owned(),
        listen: SocketAddr::from(([127, 0, 0, 1], 0)),
        secret_key: None,
        mode: Mode::Development,
        demo_data: Some(true),
        site_root: "target/site".into(),
        session_idle_minutes: 30,
        session_absolute_hours: 10,
        https: None,
        rescan_hours: 0,
        acknowledge_days: 5,
        urgent_acknowledge_days: 1,
        decide_days: 10,
        deadline_minutes: 0,
        retention_job: Some(false),
        signal_assess_days: 2,
        signal_urgent_assess_days: 1,
        signal_decide_days: 10,
        signal_urgent_decide_days: 5,
        signal_duplicate_days: 30,
        summary_max_age_minutes: 15,
        smtp_url: None,
        mail_from: "Liaison <liaison@localhost>".into(),
        public_url: "http://127.0.0.1:3000".into(),
        metrics_token: Some(METRICS_TOKEN.into()),
        log_format: liaison_server::config::LogFormat::Text,
        trusted_proxies: vec!["10.0.0.0/24".into()],
    }
    .validate()
    .expect("the test configuration is valid")
}

/// The matching settings of the test configuration's secret.
pub fn matching() -> liaison_app::overlaps::candidates::Matching {
    liaison_app::overlaps::candidates::Matching::new(
        test_config("sqlite::memory:").secret_key.expose(),
    )
}

/// The purpose and legal basis a consent to disclose carries, as form fields: a ground both
/// demo coordinators' organisations (the KMar and a municipality) may give.
pub const CONSENT_GROUNDS: &str =
    "purpose=coordinate_investigations&purpose_note=&legal_basis=gdpr_6_1_e";

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// [`spawn_app`] with the test configuration adjusted first (e-mail on, other deadlines).
pub async fn spawn_app_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
    // Server-side failures are logged, not sent: show them in the test's output.
    let _ = tracing_subscriber::fmt()
        .with_test_writer()
        .with_env_filter("warn")
        .try_init();
    let database = TestDatabase::new().await;
    let mut config = test_config(&database.url);
    adjust(&mut config);
    let db = db::connect(&config.database_url)
        .await
        .expect("database opened and migrated");
    demo::load_once(&db, &matching())
        .await
        .expect("demo data loaded");
    let state = AppState::new(&config, db.clone());
    TestApp {
        matching: state.matching.clone(),
        router: router(state),
        db,
        database: Arc::new(database),
    }
}

/// The browser language of the tests' form posts: server messages are asserted in English
/// (pages, fetched without a preference, are in Dutch, Liaison's default).
pub const POST_LANGUAGE: &str = "en-GB,en;q=0.9";

/// What a browser sends for a navigation or a plain form post.
pub const BROWSER_ACCEPT: &str = "text/html,application/xhtml+xml,*/*;q=0.8";

pub struct TestResponse {
    pub status: http::StatusCode,
    pub headers: http::HeaderMap,
    pub body: String,
}

impl TestApp {
    /// A second instance of the application on the same database, as a load balancer puts
    /// several behind one address: its own connection pool and router, nothing shared in
    /// memory. Sessions live in the database, so a cookie of one instance works on the other.
    pub async fn another_instance(&self) -> TestApp {
        let config = test_config(&self.database.url);
        let db = db::connect(&config.database_url)
            .await
            .expect("the second instance opens the database");
        let state = AppState::new(&config, db.clone());
        TestApp {
            matching: state.matching.clone(),
            router: router(state),
            db,
            database: Arc::clone(&self.database),
        }
    }

    pub async fn send(&self, request: Request<Body>) -> TestResponse {
        let response: Response<Body> = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("the router answers");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("a readable body")
            .to_bytes();
        TestResponse {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub async fn get(&self, path: &str) -> TestResponse {
        self.send(
            Request::get(path)
                .header("host", "liaison.test")
                .header("accept", BROWSER_ACCEPT)
                .body(Body::empty())
                .expect("request"),
        )
        .await
    }

    /// A form post as a browser on Liaison's own pages sends it.
    pub async fn post_form(&self, path: &str, form: &str) -> TestResponse {
        self.form_post(path, form, None, BROWSER_ACCEPT).await
    }

    /// A same-origin form post: as a browser without JavaScript sends it when `accept` is
    /// [`BROWSER_ACCEPT`], as the hydrated page's server function call when it is JSON.
    async fn form_post(
        &self,
        path: &str,
        form: &str,
        cookie: Option<&str>,
        accept: &str,
    ) -> TestResponse {
        let mut request = Request::post(path)
            .header("host", "liaison.test")
            .header("origin", "http://liaison.test")
            .header("sec-fetch-site", "same-origin")
            .header("accept", accept)
            .header("accept-language", POST_LANGUAGE)
            .header("content-type", "application/x-www-form-urlencoded");
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        self.send(request.body(Body::from(form.to_owned())).expect("request"))
            .await
    }

    /// Registers an API client of organisation `organisation` (short name) for the joint
    /// ventures named, with `scopes`, as an administrator does, and returns its token.
    pub async fn api_client(
        &self,
        organisation: &str,
        joint_ventures: &[&str],
        scopes: &[&str],
    ) -> String {
        self.api_client_with(organisation, joint_ventures, scopes, |_| {})
            .await
    }

    /// [`TestApp::api_client`] with the registration form adjusted first (rate, validity).
    pub async fn api_client_with(
        &self,
        organisation: &str,
        joint_ventures: &[&str],
        scopes: &[&str],
        adjust: impl FnOnce(&mut liaison_app::api_clients::types::ApiClientInput),
    ) -> String {
        static CLIENTS: AtomicU32 = AtomicU32::new(0);
        let mut input = liaison_app::api_clients::types::ApiClientInput {
            name: format!(
                "{organisation} system {}",
                CLIENTS.fetch_add(1, Ordering::Relaxed)
            ),
            organisation_id: self.organisation_id(organisation).await.to_string(),
            ..Default::default()
        };
        for name in joint_ventures {
            let id = self.joint_venture_id(name).await;
            input.joint_ventures.insert(id.to_string(), true);
        }
        for scope in scopes {
            input.scopes.insert((*scope).to_owned(), true);
        }
        adjust(&mut input);
        let caller = self.admin_caller().await;
        let valid = liaison_app::api_clients::manage::parse(&input, caller.locale)
            .expect("a valid registration");
        liaison_app::api_clients::manage::create(&self.db, &caller, valid)
            .await
            .expect("the client is registered")
            .token
    }

    /// A client that loads data in bulk for one joint venture: organisation `organisation`,
    /// `scopes`, a rate no load reaches. Returns its token and the joint venture's id.
    pub async fn loading_client(
        &self,
        organisation: &str,
        venture: &str,
        scopes: &[&str],
    ) -> (String, i32) {
        let token = self
            .api_client_with(organisation, &[venture], scopes, |c| {
                c.rate_per_minute = "60000".into();
            })
            .await;
        (token, self.joint_venture_id(venture).await)
    }

    /// The demo administrator as a use-case takes its caller.
    pub async fn admin_caller(&self) -> liaison_app::server::caller::Caller {
        let id = self.user_id("admin").await;
        let account = liaison_app::server::entity::user_account::Entity::find_by_id(id)
            .one(&self.db)
            .await
            .expect("query")
            .expect("the demo administrator");
        liaison_app::server::caller::Caller {
            user: liaison_app::access::SignedInUser {
                id,
                username: account.username,
                display_name: account.display_name,
                organisation_id: account.organisation_id,
                organisation: String::new(),
                roles: vec![liaison_app::domain::Role::Admin],
                coordinates: Vec::new(),
                oversees: Vec::new(),
            },
            locale: liaison_app::i18n::Locale::en,
            address: "127.0.0.1".into(),
        }
    }

    /// A batch of cases (NDJSON `lines`) posted to joint venture `venture_id` with `token`.
    pub async fn api_batch(&self, venture_id: i32, token: &str, lines: &str) -> TestResponse {
        self.api(
            "POST",
            &format!("/api/v1/joint-ventures/{venture_id}/case-batches"),
            Some(token),
            Some(lines),
            &[("content-type", "application/x-ndjson")],
        )
        .await
    }

    /// A call of the REST API as an agency's system makes it: a bearer token (if any), JSON,
    /// English, no cookies; `headers` added or replacing.
    pub async fn api(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<&str>,
        headers: &[(&str, &str)],
    ) -> TestResponse {
        let mut request = Request::builder()
            .method(method)
            .uri(path)
            .header("host", "liaison.test")
            .header("accept", "application/json");
        if !headers
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case("accept-language"))
        {
            request = request.header("accept-language", "en");
        }
        if let Some(token) = token {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        if body.is_some()
            && !headers
                .iter()
                .any(|(k, _)| k.eq_ignore_ascii_case("content-type"))
        {
            request = request.header("content-type", "application/json");
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        self.send(
            request
                .body(Body::from(body.unwrap_or_default().to_owned()))
                .expect("request"),
        )
        .await
    }

    /// The id of a (demo) organisation by its short name.
    pub async fn organisation_id(&self, short_name: &str) -> i32 {
        use liaison_app::server::entity::organisation;
        use sea_orm::{ColumnTrait, QueryFilter};
        organisation::Entity::find()
            .filter(organisation::Column::ShortName.eq(short_name))
            .one(&self.db)
            .await
            .expect("query")
            .expect("the organisation")
            .id
    }

    /// The id of a (demo) joint venture by its name.
    pub async fn joint_venture_id(&self, name: &str) -> i32 {
        use liaison_app::server::entity::joint_venture;
        use sea_orm::{ColumnTrait, QueryFilter};
        joint_venture::Entity::find()
            .filter(joint_venture::Column::Name.eq(name))
            .one(&self.db)
            .await
            .expect("query")
            .unwrap_or_else(|| panic!("no joint venture {name}"))
            .id
    }

    /// The id of a (demo) user by user name.
    pub async fn user_id(&self, username: &str) -> i32 {
        use liaison_app::server::entity::user_account;
        use sea_orm::{ColumnTrait, QueryFilter};
        user_account::Entity::find()
            .filter(user_account::Column::Username.eq(username))
            .one(&self.db)
            .await
            .expect("query")
            .expect("the user")
            .id
    }

    /// The newest event of the audit trail.
    pub async fn last_event(&self) -> audit_event::Model {
        audit_event::Entity::find()
            .order_by_desc(audit_event::Column::Id)
            .one(&self.db)
            .await
            .expect("query")
            .expect("an event")
    }

    /// The latest audit event of `action`.
    pub async fn last_event_of(&self, action: &str) -> audit_event::Model {
        use sea_orm::{ColumnTrait, QueryFilter};
        audit_event::Entity::find()
            .filter(audit_event::Column::Action.eq(action))
            .order_by_desc(audit_event::Column::Id)
            .one(&self.db)
            .await
            .expect("query")
            .unwrap_or_else(|| panic!("an event {action}"))
    }
}

impl TestApp {
    /// Signs in with a password and returns the session cookie (`name=value`). Panics when
    /// the sign-in does not lead on (a redirect), so a test never runs signed out by mistake.
    pub async fn sign_in(&self, username: &str, password: &str) -> String {
        let response = self
            .post_form(
                "/api/sign_in",
                &format!("username={username}&password={password}"),
            )
            .await;
        assert!(
            response.status.is_redirection(),
            "sign-in of {username}: {} {}",
            response.status,
            response.body
        );
        response.session_cookie().expect("a session cookie")
    }

    pub async fn get_with(&self, path: &str, cookie: &str) -> TestResponse {
        self.send(
            Request::get(path)
                .header("host", "liaison.test")
                .header("accept", BROWSER_ACCEPT)
                .header("cookie", cookie)
                .body(Body::empty())
                .expect("request"),
        )
        .await
    }

    /// A same-origin form post with a session cookie, as a browser without JavaScript sends it.
    pub async fn post_form_with(&self, path: &str, form: &str, cookie: &str) -> TestResponse {
        self.form_post(path, form, Some(cookie), BROWSER_ACCEPT)
            .await
    }

    /// The same post as the hydrated page's server function call makes it: the answer is the
    /// server function's own (JSON) rather than a page.
    pub async fn call_with(&self, path: &str, form: &str, cookie: Option<&str>) -> TestResponse {
        self.form_post(path, form, cookie, "application/json").await
    }

    /// A `multipart/form-data` upload of a case id and one file, as the import form sends it
    /// (`accept` tells a plain form post from the hydrated page's call).
    pub async fn upload(
        &self,
        path: &str,
        case_id: i32,
        file: &[u8],
        cookie: &str,
        accept: &str,
    ) -> TestResponse {
        self.upload_to(path, "case_id", case_id, file, cookie, accept)
            .await
    }

    /// An upload of one file with one numeric field `target` naming where it goes.
    pub async fn upload_to(
        &self,
        path: &str,
        target: &str,
        id: i32,
        file: &[u8],
        cookie: &str,
        accept: &str,
    ) -> TestResponse {
        const BOUNDARY: &str = "----liaison-test-boundary-7d1f";
        let mut body = format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{target}\"\r\n\r\n{id}\r\n\
             --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"subjects.csv\"\r\n\
             Content-Type: text/csv\r\n\r\n"
        )
        .into_bytes();
        body.extend_from_slice(file);
        body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
        let request = Request::post(path)
            .header("host", "liaison.test")
            .header("origin", "http://liaison.test")
            .header("sec-fetch-site", "same-origin")
            .header("accept", accept)
            .header("accept-language", POST_LANGUAGE)
            .header(
                "content-type",
                format!("multipart/form-data; boundary={BOUNDARY}"),
            )
            .header("cookie", cookie)
            .body(Body::from(body))
            .expect("request");
        self.send(request).await
    }

    /// The id of a demo case by its reference.
    pub async fn case_id(&self, reference: &str) -> i32 {
        use liaison_app::server::entity::case;
        use sea_orm::{ColumnTrait, QueryFilter};
        case::Entity::find()
            .filter(case::Column::Reference.eq(reference))
            .one(&self.db)
            .await
            .expect("query")
            .unwrap_or_else(|| panic!("no case {reference}"))
            .id
    }
}

impl TestResponse {
    /// The JSON of an answer.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|err| panic!("not JSON ({err}): {} {}", self.status, self.body))
    }

    /// The session cookie this response sets, as `name=value`.
    pub fn session_cookie(&self) -> Option<String> {
        self.headers
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|c| c.starts_with("liaison_session="))
            .map(|c| c.split(';').next().unwrap_or_default().to_owned())
    }

    /// The body without Leptos's hydration markers (`<!>`, `<!--…-->`), so that text split
    /// around an interpolated value reads as a person sees it.
    pub fn text(&self) -> String {
        let mut text = String::with_capacity(self.body.len());
        let mut rest = self.body.as_str();
        while let Some(start) = rest.find("<!") {
            text.push_str(&rest[..start]);
            let after = &rest[start..];
            let end = if after.starts_with("<!--") {
                after.find("-->").map(|e| e + 3)
            } else if after.starts_with("<!>") {
                Some(3)
            } else {
                None
            };
            match end {
                Some(end) => rest = &after[end..],
                None => {
                    text.push_str("<!");
                    rest = &after[2..];
                }
            }
        }
        text.push_str(rest);
        text
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// A local SMTP server that keeps every message it receives: the tests' mail sink. It speaks
/// just enough SMTP for lettre (EHLO, MAIL, RCPT, DATA, QUIT). Written here rather than taken
/// from the embeddable SMTP server crate, which brings rustls with aws-lc (a C build) along.
pub struct SmtpSink {
    pub port: u16,
    messages: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl SmtpSink {
    pub async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a free port for the SMTP sink");
        let port = listener.local_addr().expect("its address").port();
        let messages = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let kept = messages.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let kept = kept.clone();
                tokio::spawn(async move {
                    let _ = smtp_session(stream, kept).await;
                });
            }
        });
        Self { port, messages }
    }

    /// Every message so far: the envelope (`MAIL FROM`, `RCPT TO` lines), a blank line, and
    /// the message as sent.
    pub fn messages(&self) -> Vec<String> {
        self.messages.lock().expect("the sink's lock").clone()
    }
}

async fn smtp_session(
    stream: tokio::net::TcpStream,
    kept: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
) -> std::io::Result<()> {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read).lines();
    write.write_all(b"220 liaison-test-sink ESMTP\r\n").await?;
    let mut envelope = String::new();
    let mut data: Option<String> = None;
    while let Some(line) = lines.next_line().await? {
        if let Some(body) = data.as_mut() {
            if line == "." {
                let message = format!("{envelope}\n{body}");
                kept.lock().expect("the sink's lock").push(message);
                envelope.clear();
                data = None;
                write.write_all(b"250 OK queued\r\n").await?;
            } else {
                // Dot-stuffing: a line starting with a dot was sent with one more.
                body.push_str(
                    line.strip_prefix('.')
                        .filter(|_| line.starts_with(".."))
                        .unwrap_or(&line),
                );
                body.push('\n');
            }
            continue;
        }
        let command = line.to_ascii_uppercase();
        let reply: &[u8] = if command.starts_with("EHLO") {
            b"250-liaison-test-sink\r\n250 8BITMIME\r\n"
        } else if command.starts_with("MAIL FROM") || command.starts_with("RCPT TO") {
            envelope.push_str(&line);
            envelope.push('\n');
            b"250 OK\r\n"
        } else if command.starts_with("DATA") {
            data = Some(String::new());
            b"354 end with a dot\r\n"
        } else if command.starts_with("QUIT") {
            write.write_all(b"221 bye\r\n").await?;
            break;
        } else if command.starts_with("HELO")
            || command.starts_with("RSET")
            || command.starts_with("NOOP")
        {
            b"250 OK\r\n"
        } else {
            b"502 not implemented\r\n"
        };
        write.write_all(reply).await?;
    }
    Ok(())
}

/// What a person reads of a page: the text between the tags, without the `<script>` elements
/// (the data the browser hydrates from) and without attributes (a `<time datetime>` is for
/// machines).
pub fn shown_text(body: &str) -> String {
    let mut text = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(start) = rest.find('<') {
        text.push_str(&rest[..start]);
        let tag = &rest[start..];
        let end = if tag.starts_with("<script") {
            tag.find("</script>").map(|end| end + "</script>".len())
        } else {
            tag.find('>').map(|end| end + 1)
        };
        match end {
            Some(end) => {
                text.push(' ');
                rest = &tag[end..];
            }
            None => rest = "",
        }
    }
    text.push_str(rest);
    text
}

/// The first machine time (`2026-12-04T03:30…`) in `text`, if any: pages write times in words.
pub fn machine_time(text: &str) -> Option<String> {
    const SHAPE: &[u8] = b"dddd-dd-ddTdd:dd";
    let bytes = text.as_bytes();
    (0..bytes.len()).find_map(|start| {
        let head = bytes.get(start..start + SHAPE.len())?;
        head.iter()
            .zip(SHAPE)
            .all(|(byte, shape)| match shape {
                b'd' => byte.is_ascii_digit(),
                _ => byte == shape,
            })
            .then(|| String::from_utf8_lossy(head).into_owned())
    })
}

/// A calendar day (`2026-12-04`) as a Dutch page writes it: `4 december 2026`.
pub fn dutch_date(day: &str) -> String {
    use liaison_app::{i18n::Locale, ui::format};
    format::date_in(&format::Words::of(Locale::nl), day)
}

/// A stored UTC time as a Dutch page writes it, on the Dutch clock: `4 december 2026, 04:30`.
pub fn dutch_moment(stored_utc: &str) -> String {
    use liaison_app::{i18n::Locale, server::time::local_moment, ui::format};
    format::moment_in(&format::Words::of(Locale::nl), &local_moment(stored_utc))
}
