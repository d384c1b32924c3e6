//! Organisation settings: what a lease includes (managers) and what door displays show
//! (the organisation's referent, or a manager).
use crate::helpers::*;

#[tokio::test]
async fn who_may_change_an_organisations_settings() {
    let app = spawn_app().await;
    app.load_demo().await;
    let referent = app.user("referent@coopole.example").await;
    let org = referent.organisation_id.unwrap().to_string();
    let referent_c = app.client_for(referent.id).await;
    let member_c = app
        .client_for(app.user("membre@coopole.example").await.id)
        .await;
    let neighbour_c = app
        .client_for(app.user("voisin@coopole.example").await.id)
        .await;
    let manager_c = app
        .client_for(app.user("gestion@coopole.example").await.id)
        .await;

    // The referent hides the titles; a plain member and another organisation may not.
    assert_error(
        app.call_with(&member_c, "organisations/update", &[("id", &org)])
            .await,
        403,
        "forbidden",
        None,
    )
    .await;
    assert_error(
        app.call_with(&neighbour_c, "organisations/update", &[("id", &org)])
            .await,
        403,
        "forbidden",
        None,
    )
    .await;
    let res = app
        .call_with(&referent_c, "organisations/update", &[("id", &org)])
        .await;
    assert_eq!(json(res).await["show_titles_on_displays"], false);
    // Nor may the referent change what the lease includes.
    let res = app
        .call_with(
            &referent_c,
            "organisations/update",
            &[("id", &org), ("included_hours", "50")],
        )
        .await;
    assert_error(res, 403, "forbidden", None).await;

    // Managers set the included hours (and the titles).
    let res = app
        .call_with(
            &manager_c,
            "organisations/update",
            &[
                ("id", &org),
                ("included_hours", "10"),
                ("show_titles", "on"),
            ],
        )
        .await;
    let updated = json(res).await;
    assert_eq!(updated["included_room_minutes"], 600);
    assert_eq!(updated["show_titles_on_displays"], true);
    let res = app
        .call_with(
            &manager_c,
            "organisations/update",
            &[("id", &org), ("included_hours", "dix")],
        )
        .await;
    assert_error(res, 400, "validation", Some("included_hours")).await;
    let res = app
        .call_with(&manager_c, "organisations/update", &[("id", "999999")])
        .await;
    assert_error(res, 404, "not_found", None).await;
    assert_error(
        app.call_with(&member_c, "organisations/settings", &[])
            .await,
        403,
        "forbidden",
        None,
    )
    .await;
    assert_eq!(
        json(
            app.call_with(&manager_c, "organisations/settings", &[])
                .await
        )
        .await
        .as_array()
        .unwrap()
        .len(),
        40
    );
}

#[tokio::test]
async fn door_displays_hide_titles_unless_the_organisation_allows_them() {
    let app = spawn_app().await;
    app.load_demo().await;
    let referent = app.user("referent@coopole.example").await;
    let referent_c = app.client_for(referent.id).await;
    let org = referent.organisation_id.unwrap().to_string();
    let sevre = app.space_id("SALLE-SEVRE").await.to_string();
    let day = next(chrono::Weekday::Tue, 1).to_string();
    let form = [
        ("space_id", sevre.as_str()),
        ("date", &day),
        ("start", "09:00"),
        ("end", "10:00"),
        ("title", "Bilan annuel"),
        ("attendees", "3"),
    ];
    assert_eq!(
        app.call_with(&referent_c, "bookings/create", &form)
            .await
            .status(),
        200
    );

    let shown = json(
        app.call("bookings/display", &[("code", "SALLE-SEVRE")])
            .await,
    )
    .await;
    assert_eq!(shown["next"]["title"], "Bilan annuel");
    app.call_with(&referent_c, "organisations/update", &[("id", &org)])
        .await;
    let hidden = json(
        app.call("bookings/display", &[("code", "SALLE-SEVRE")])
            .await,
    )
    .await;
    assert_eq!(hidden["next"]["title"], serde_json::Value::Null);
    let page = app.page("/ecran/SALLE-SEVRE").await;
    assert!(page.contains("Réservé") && !page.contains("Bilan annuel"));
}
