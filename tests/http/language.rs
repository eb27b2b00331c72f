use liaison_tests::spawn_app;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn choosing_a_language_remembers_it_and_returns_to_the_page() {
    let app = spawn_app().await;
    let response = app
        .post_form("/language", "locale=en&return_to=%2Fhelp")
        .await;
    assert_eq!(response.status, 303);
    assert_eq!(response.header("location"), Some("/help"));
    let cookie = response.header("set-cookie").expect("a cookie");
    assert!(cookie.starts_with("i18n_pref_locale=en;"), "{cookie}");
    assert!(cookie.contains("Path=/"));
    assert!(cookie.contains("SameSite=Lax"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_language_is_refused_naming_the_field() {
    let app = spawn_app().await;
    let response = app.post_form("/language", "locale=xx&return_to=%2F").await;
    assert_eq!(response.status, 400);
    assert!(response.body.starts_with("locale:"), "{}", response.body);
    assert!(response.header("set-cookie").is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_language_form_without_a_language_is_refused_naming_the_field() {
    let app = spawn_app().await;
    let response = app.post_form("/language", "return_to=%2F").await;
    assert_eq!(response.status, 400);
    assert!(response.body.starts_with("locale:"), "{}", response.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_return_address_on_another_site_is_not_followed() {
    let app = spawn_app().await;
    for target in [
        "%2F%2Fevil.example",
        "https%3A%2F%2Fevil.example",
        "%2F%5Cevil.example",
    ] {
        let response = app
            .post_form("/language", &format!("locale=nl&return_to={target}"))
            .await;
        assert_eq!(response.status, 303);
        assert_eq!(response.header("location"), Some("/"), "{target}");
    }
}
