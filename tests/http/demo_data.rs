//! The demo data: loaded once however often the server starts; and, as the portal starts it, with
//! a year of history (see `history`) that leaves the work of today as it was (`work_of_today`).

mod history;
mod work_of_today;

use liaison_app::server::entity::{joint_venture, membership, organisation, signal};
use liaison_app::server::time::today;
use liaison_server::{
    db,
    demo::{self, Outcome},
};
use liaison_tests::TestDatabase;
use sea_orm::{EntityTrait, PaginatorTrait};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_data_is_loaded_once_however_often_the_server_starts() {
    let database = TestDatabase::new().await;
    let first = db::connect(&database.url).await.expect("opened");
    assert_eq!(
        demo::load_once(&first, &liaison_tests::matching())
            .await
            .expect("loaded"),
        Outcome::Loaded
    );
    let organisations = organisation::Entity::find()
        .count(&first)
        .await
        .expect("count");
    let memberships = membership::Entity::find()
        .count(&first)
        .await
        .expect("count");

    // A restart: migrations run again and change nothing, demo data is not loaded twice.
    let second = db::connect(&database.url).await.expect("reopened");
    assert_eq!(
        demo::load_once(&second, &liaison_tests::matching())
            .await
            .expect("checked"),
        Outcome::AlreadyPresent
    );
    assert_eq!(
        organisation::Entity::find()
            .count(&second)
            .await
            .expect("count"),
        organisations
    );
    assert_eq!(
        membership::Entity::find()
            .count(&second)
            .await
            .expect("count"),
        memberships
    );
    assert_eq!(organisations, demo::ORGANISATIONS.len() as u64);
    assert_eq!(
        joint_venture::Entity::find()
            .count(&second)
            .await
            .expect("count"),
        demo::JOINT_VENTURES.len() as u64
    );
    // Nor with the history: the portal starting on a database with the demo data adds nothing.
    assert_eq!(
        demo::load_once_with_history(&second, &liaison_tests::matching(), today())
            .await
            .expect("checked"),
        Outcome::AlreadyPresent
    );
    assert_eq!(
        signal::Entity::find().count(&second).await.expect("count"),
        0
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_starting_at_once_load_the_demo_data_once() {
    let database = TestDatabase::new().await;
    let a = db::connect(&database.url).await.expect("opened");
    let b = db::connect(&database.url).await.expect("opened");
    let matching = liaison_tests::matching();
    let (first, second) = tokio::join!(
        demo::load_once(&a, &matching),
        demo::load_once(&b, &matching)
    );
    let mut outcomes = [
        first.expect("a loads or skips"),
        second.expect("b loads or skips"),
    ];
    outcomes.sort_by_key(|o| *o == Outcome::AlreadyPresent);
    assert_eq!(outcomes, [Outcome::Loaded, Outcome::AlreadyPresent]);
    assert_eq!(
        organisation::Entity::find().count(&a).await.expect("count"),
        demo::ORGANISATIONS.len() as u64
    );
}
