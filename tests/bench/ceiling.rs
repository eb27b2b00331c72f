//! The load bench's ceiling (`make bench-load`): bare axum on this machine serving one static
//! HTML page of about the size of Liaison's start page, with nothing else in the way: no
//! database, no session, no rendering. Liaison's requests per second are printed beside it.
//!
//!   bench-ceiling 127.0.0.1:3490

use axum::{Router, response::Html, routing::get};

const PAGE: &str = concat!(
    "<!DOCTYPE html><html lang=\"nl\"><head><meta charset=\"utf-8\"><title>Liaison</title></head><body><main>",
    "<h1>Liaison</h1><p>A static page as the ceiling of what this machine serves.</p>",
    "</main></body></html>"
);

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let address = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:3490".into());
    let body = PAGE.repeat(40);
    let app = Router::new().route("/", get(move || async move { Html(body.clone()) }));
    let listener = tokio::net::TcpListener::bind(&address).await?;
    println!("bare axum at http://{address}");
    axum::serve(listener, app).await?;
    Ok(())
}
