//! Two instances of Liaison on one database, as behind a load balancer: saves that match each
//! other and consents to the same overlap, sent at the same moment through different instances.
//! On PostgreSQL the saves race for real (two pools, transactions in flight together); on SQLite
//! two pools on one file queue as two processes would, and none may fail with "database is
//! locked".

use futures::future::join_all;
use liaison_app::server::entity::{audit_event, overlap, overlap_disclosure, subject};
use liaison_server::demo::DEMO_PASSWORD;
use liaison_tests::{CONSENT_GROUNDS, TestApp, spawn_app};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

const PAIRS: usize = 24;

/// A family name of its own for pair `i`: two syllables out of sixteen, never another pair's.
fn family_name(i: usize) -> String {
    const SYLLABLES: [&str; 16] = [
        "Bal", "Dor", "Fen", "Gim", "Hol", "Kar", "Lun", "Mer", "Nov", "Pel", "Rud", "Sor", "Tav",
        "Vil", "Wen", "Zar",
    ];
    format!(
        "{}{}ke",
        SYLLABLES[i % 16],
        SYLLABLES[(i / 16 + 5) % 16].to_lowercase()
    )
}

fn person(case_id: i32, i: usize) -> String {
    format!(
        "case_id={case_id}&subject[kind]=person&subject[given_names]=Amanuel&subject[family_name]={}&subject[birth_date]=19{:02}-0{}-1{}&subject[nationality]=ERI",
        family_name(i),
        60 + i,
        1 + i % 9,
        i % 10
    )
}

/// The subjects of one case with the family name of pair `i`.
async fn subject_ids(app: &TestApp, family: &str) -> Vec<i32> {
    subject::Entity::find()
        .filter(subject::Column::Kind.eq("person"))
        .all(&app.db)
        .await
        .expect("subjects")
        .into_iter()
        .filter(|s| s.summary.contains(family))
        .map(|s| s.id)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn matching_saves_at_the_same_moment_on_two_instances_raise_each_overlap_once() {
    let one = spawn_app().await;
    let two = one.another_instance().await;
    // Signed in on one instance, served by the other: the session lives in the database.
    let north = one.sign_in("coordinator-north", DEMO_PASSWORD).await;
    let amsterdam = two.sign_in("coordinator-amsterdam", DEMO_PASSWORD).await;
    let page = two.get_with("/cases", &north).await;
    assert_eq!(page.status, 200, "north's session on the second instance");
    let north_case = one.case_id("TMN-2026-014").await;
    let amsterdam_case = one.case_id("KMA-2026-007").await;
    let before = overlap::Entity::find().count(&one.db).await.expect("count");

    let forms: Vec<(String, String)> = (0..PAIRS)
        .map(|i| (person(north_case, i), person(amsterdam_case, i)))
        .collect();
    let saves = forms.iter().flat_map(|(mine, theirs)| {
        [
            one.post_form_with("/api/add_subject", mine, &north),
            two.post_form_with("/api/add_subject", theirs, &amsterdam),
        ]
    });
    for (n, saved) in join_all(saves).await.into_iter().enumerate() {
        assert!(
            saved.status.is_redirection(),
            "save {n}: {} {}",
            saved.status,
            saved.body
        );
    }

    let overlaps = overlap::Entity::find()
        .filter(overlap::Column::MatchKind.eq("person"))
        .all(&one.db)
        .await
        .expect("overlaps");
    let mut paired = Vec::new();
    for i in 0..PAIRS {
        let ids = subject_ids(&one, &family_name(i)).await;
        paired.extend(ids.iter().copied());
        assert_eq!(ids.len(), 2, "pair {i}: both saved");
        let raised = overlaps
            .iter()
            .filter(|o| ids.contains(&o.first_item_id) && ids.contains(&o.second_item_id))
            .count();
        assert_eq!(raised, 1, "pair {i} ({}): one overlap", family_name(i));
    }
    assert_eq!(
        overlap::Entity::find().count(&one.db).await.expect("count"),
        before + PAIRS as u64,
        "nothing else raised"
    );

    // Both sides agree to every one of them at the same moment, each through its own instance.
    let raised: Vec<overlap::Model> = overlaps
        .into_iter()
        .filter(|o| paired.contains(&o.first_item_id))
        .collect();
    assert_eq!(raised.len(), PAIRS);
    let forms: Vec<String> = raised
        .iter()
        .map(|o| format!("id={}&{CONSENT_GROUNDS}", o.id))
        .collect();
    let consents = join_all(forms.iter().flat_map(|form| {
        [
            one.post_form_with("/api/consent_to_disclose", form, &north),
            two.post_form_with("/api/consent_to_disclose", form, &amsterdam),
        ]
    }))
    .await;
    for (n, consent) in consents.iter().enumerate() {
        assert!(
            consent.status.is_redirection(),
            "consent {n}: {} {}",
            consent.status,
            consent.body
        );
    }
    for o in &raised {
        let now = overlap::Entity::find_by_id(o.id)
            .one(&one.db)
            .await
            .expect("read")
            .expect("overlap");
        assert!(
            now.first_consents && now.second_consents && now.disclosed_at.is_some(),
            "overlap {}: both consents count and it is disclosed",
            o.id
        );
        let disclosed = audit_event::Entity::find()
            .filter(audit_event::Column::Action.eq("disclose_overlap"))
            .filter(audit_event::Column::ObjectId.eq(o.id.to_string()))
            .count(&one.db)
            .await
            .expect("count");
        assert_eq!(disclosed, 1, "overlap {}: disclosed once", o.id);
        let frozen = overlap_disclosure::Entity::find()
            .filter(overlap_disclosure::Column::OverlapId.eq(o.id))
            .count(&one.db)
            .await
            .expect("count");
        assert_eq!(frozen, 2, "overlap {}: each side frozen once", o.id);
    }
    let verified = liaison_app::server::audit::verify(&one.db)
        .await
        .expect("verified");
    assert!(
        matches!(
            verified,
            liaison_app::server::audit::Verification::Intact { .. }
        ),
        "{verified:?}"
    );
}
