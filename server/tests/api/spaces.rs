//! The catalogue and the space pages, on the demo hub.
use crate::helpers::*;

async fn catalogue(app: &TestApp, form: &[(&str, &str)]) -> Vec<serde_json::Value> {
    let res = app.call("spaces/catalogue", form).await;
    assert_eq!(res.status(), 200);
    json(res).await.as_array().unwrap().clone()
}

fn names(cards: &[serde_json::Value]) -> Vec<&str> {
    cards.iter().map(|c| c["name"].as_str().unwrap()).collect()
}

#[tokio::test]
async fn the_catalogue_lists_the_whole_hub_and_filters_it() {
    let app = spawn_app().await;
    app.load_demo().await;

    let all = catalogue(&app, &[]).await;
    assert_eq!(all.len(), 133);
    assert_eq!(all.iter().filter(|c| c["kind"] == "office").count(), 60);
    assert_eq!(all.iter().filter(|c| c["kind"] == "desk").count(), 44);

    let big = catalogue(&app, &[("min_capacity", "50")]).await;
    let mut big_names = names(&big);
    big_names.sort_unstable();
    assert_eq!(
        big_names,
        [
            "Boutique collective",
            "Cantine",
            "Demi-halle nord",
            "Demi-halle sud",
            "Grande halle",
            "Salle Loire"
        ]
    );

    let rooms = catalogue(
        &app,
        &[
            ("kind", "meeting_room"),
            ("min_area", "20"),
            ("max_area", "40"),
        ],
    )
    .await;
    let mut room_names = names(&rooms);
    room_names.sort_unstable();
    assert_eq!(room_names, ["Salle Chézine", "Salle Erdre", "Salle Sèvre"]);

    let halves = catalogue(&app, &[("kind", "hall"), ("max_area", "450")]).await;
    assert!(
        halves.iter().all(|c| c["part_of"] == "Grande halle"),
        "{halves:?}"
    );
    assert!(
        catalogue(&app, &[("min_capacity", "5000")])
            .await
            .is_empty()
    );
}

#[tokio::test]
async fn bad_filters_get_a_message_naming_the_filter() {
    let app = spawn_app().await;
    for (form, field) in [
        (vec![("kind", "castle")], "kind"),
        (vec![("min_capacity", "cinquante")], "min_capacity"),
        (vec![("min_area", "-5")], "min_area"),
        (vec![("min_area", "500"), ("max_area", "100")], "max_area"),
    ] {
        assert_error(
            app.call("spaces/catalogue", &form).await,
            400,
            "validation",
            Some(field),
        )
        .await;
    }
}

#[tokio::test]
async fn the_hall_shows_its_halves_and_three_tier_prices() {
    let app = spawn_app().await;
    app.load_demo().await;
    let all = catalogue(&app, &[("kind", "hall")]).await;
    let hall_id = all.iter().find(|c| c["name"] == "Grande halle").unwrap()["id"]
        .as_i64()
        .unwrap()
        .to_string();

    let hall = json(app.call("spaces/detail", &[("id", &hall_id)]).await).await;
    assert_eq!(hall["area_m2"], 900);
    let parts: Vec<&str> = hall["parts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(parts, ["Demi-halle nord", "Demi-halle sud"]);
    let day: Vec<(String, i64)> = hall["rates"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["unit"] == "day")
        .map(|r| {
            (
                r["tier"].as_str().unwrap().to_owned(),
                r["amount_cents"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(day.len(), 3);
    let price = |tier: &str| day.iter().find(|(t, _)| t == tier).unwrap().1;
    assert_eq!(price("outside"), 120_000);
    assert!(price("resident") < price("network") && price("network") < price("outside"));

    // Each half points back to the whole.
    let half_id = hall["parts"][0]["id"].as_i64().unwrap().to_string();
    let half = json(app.call("spaces/detail", &[("id", &half_id)]).await).await;
    assert_eq!(half["part_of"]["name"], "Grande halle");

    // The page says it in French, with French amounts.
    let page = app
        .client
        .get(app.url(&format!("/espaces/{hall_id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    for text in [
        "Grande halle",
        "Demi-halle nord",
        "Demi-halle sud",
        "Structure hébergée",
        "1\u{202f}200,00\u{a0}€",
        "900\u{a0}m²",
    ] {
        assert!(html.contains(text), "the hall's page lacks {text:?}");
    }
}

#[tokio::test]
async fn an_unknown_space_is_a_clear_404() {
    let app = spawn_app().await;
    app.load_demo().await;
    for id in ["99999", "abc", "-1", "0"] {
        let message = assert_error(
            app.call("spaces/detail", &[("id", id)]).await,
            404,
            "not_found",
            None,
        )
        .await;
        assert_eq!(message, "Cet espace n'existe pas.");
        let page = app
            .client
            .get(app.url(&format!("/espaces/{id}")))
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), 404, "/espaces/{id}");
        assert!(
            page.text()
                .await
                .unwrap()
                .contains("Cet espace n'existe pas")
        );
    }
    let page = app.client.get(app.url("/nulle-part")).send().await.unwrap();
    assert_eq!(page.status(), 404);
}

#[tokio::test]
async fn the_home_page_counts_the_hub_from_the_database() {
    let app = spawn_app().await;
    app.load_demo().await;
    let figures = json(app.call("hub/figures", &[]).await).await;
    assert_eq!(figures["offices"], 60);
    assert_eq!(figures["desks"], 44);
    assert_eq!(figures["hosting_area_m2"], 1650);
    assert_eq!(figures["event_area_m2"], 1200);
    assert_eq!(figures["shop_area_m2"], 470);
    assert_eq!(figures["organisations_hosted"], 30);
    let html = app.page("/").await;
    assert!(
        html.contains("1\u{202f}650\u{a0}m²") && html.contains("Bureaux\u{a0}: 60"),
        "home page figures"
    );
}
