//! Outgoing e-mail over SMTP (none configured: nothing is sent).

use std::sync::Arc;

/// Sends the e-mail of notifications over SMTP (`lettre`). Off unless configured.
#[derive(Clone)]
pub struct Mailer {
    pub(crate) transport: lettre::AsyncSmtpTransport<lettre::Tokio1Executor>,
    pub(crate) from: lettre::message::Mailbox,
    pub(crate) public_url: String,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer")
            .field("from", &self.from.to_string())
            .field("public_url", &self.public_url)
            .finish()
    }
}

impl Mailer {
    /// `url` as lettre reads it: `smtp://host:25`, `smtp://host:587?tls=required`,
    /// `smtps://user:password@host`.
    pub fn new(url: &str, from: &str, public_url: &str) -> Result<Self, String> {
        let transport = lettre::AsyncSmtpTransport::<lettre::Tokio1Executor>::from_url(url)
            .map_err(|e| format!("the SMTP address is not usable: {e}"))?
            .build();
        let from = from
            .parse()
            .map_err(|e| format!("the sender address is not usable: {e}"))?;
        Ok(Self {
            transport,
            from,
            public_url: public_url.trim_end_matches('/').to_owned(),
        })
    }
}

/// What the deadline job and the workflow need: the mailer, when e-mail is on.
#[derive(Clone, Debug, Default)]
pub struct Mail(pub Option<Arc<Mailer>>);
