use axum::body::Body;
use http::Request;
use liaison_tests::spawn_app;

fn html_lang(body: &str) -> Option<&str> {
    let start = body.find("<html")?;
    let tag = &body[start..start + body[start..].find('>')?];
    let lang = tag.find("lang=\"")? + 6;
    Some(&tag[lang..lang + tag[lang..].find('"')?])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_start_page_is_dutch_by_default_and_shows_the_shell() {
    let app = spawn_app().await;
    let response = app.get("/").await;
    assert_eq!(response.status, 200);
    assert_eq!(html_lang(&response.body), Some("nl"));
    for landmark in [
        "<header",
        "<nav",
        "<main",
        "<footer",
        "Direct naar de inhoud",
    ] {
        assert!(response.body.contains(landmark), "missing {landmark}");
    }
    assert!(
        response
            .body
            .contains("Wie werkt waaraan, waar en met wie?")
    );
    assert!(
        response.body.contains("/pkg/liaison.js"),
        "hydration script is linked"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_browser_that_prefers_english_gets_english() {
    let app = spawn_app().await;
    let response = app
        .send(
            Request::get("/")
                .header("accept-language", "en-GB,en;q=0.9,nl;q=0.5")
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(html_lang(&response.body), Some("en"));
    assert!(
        response
            .body
            .contains("Who works on what, where, with whom?")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_remembered_choice_beats_the_browser_preference() {
    let app = spawn_app().await;
    let response = app
        .send(
            Request::get("/help")
                .header("accept-language", "en")
                .header("cookie", "i18n_pref_locale=nl")
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(html_lang(&response.body), Some("nl"));
    assert!(response.body.contains("Toetsenbord"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_start_page_shows_the_participating_organisations_from_the_database() {
    let app = spawn_app().await;
    let response = app.get("/").await;
    assert!(response.body.contains("Koninklijke Marechaussee"));
    assert!(
        response
            .body
            .contains("Centraal Orgaan opvang asielzoekers")
    );
    // 16 demo organisations; 12 active joint ventures (the 13th has ended).
    assert!(
        response
            .text()
            .contains("16 organisaties werken samen in 12 samenwerkingsverbanden"),
        "{}",
        response.text()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_address_is_a_404_inside_the_page_shell() {
    let app = spawn_app().await;
    let response = app.get("/no-such-page").await;
    assert_eq!(response.status, 404);
    assert!(response.body.contains("Pagina niet gevonden"));
    assert!(response.body.contains("<main"));
}
