//! The database's own guard against double booking, as a forgetful writer would meet it:
//! rows inserted straight into `occupancies`, with no clash check and no `BEGIN IMMEDIATE`.
//! SQLite refuses the overlap with its triggers, PostgreSQL with its exclusion constraint.
use crate::helpers::*;
use coopole_app::entities::{occupancy, space};
use sea_orm::{ConnectionTrait, EntityTrait, PaginatorTrait, QueryOrder};

#[tokio::test]
async fn an_overlapping_occupancy_written_straight_to_the_database_is_refused() {
    let app = spawn_app().await;
    app.load_demo().await;
    let spaces = space::Entity::find()
        .order_by_asc(space::Column::Id)
        .all(&app.db)
        .await
        .unwrap();
    let (a, b) = (spaces[0].id, spaces[1].id);
    let insert = |leaf: i32, from: i64, until: i64| {
        format!(
            "INSERT INTO occupancies (leaf_space_id, starts_at, ends_at) \
             VALUES ({leaf}, {from}, {until})"
        )
    };
    let before = occupancy::Entity::find().count(&app.db).await.unwrap();
    app.db
        .execute_unprepared(&insert(a, 1_000, 2_000))
        .await
        .expect("a free slot is taken");

    // Overlapping the same leaf: refused, and recognised as a conflict (not a 500).
    for (from, until) in [(1_500, 2_500), (500, 1_001), (1_200, 1_800), (0, 5_000)] {
        let err = app
            .db
            .execute_unprepared(&insert(a, from, until))
            .await
            .expect_err("an overlap must be refused");
        assert!(
            coopole_app::db::is_conflict(&err),
            "not seen as a conflict: {err}"
        );
    }
    // Touching ends do not overlap; another leaf is free.
    app.db
        .execute_unprepared(&insert(a, 2_000, 3_000))
        .await
        .expect("right after is free");
    app.db
        .execute_unprepared(&insert(b, 1_000, 2_000))
        .await
        .expect("another space is free");

    // Moving a row onto another one is refused too; moving it within free time is not.
    let err = app
        .db
        .execute_unprepared(&format!(
            "UPDATE occupancies SET starts_at = 1500 WHERE leaf_space_id = {a} AND starts_at = 2000"
        ))
        .await
        .expect_err("an update into an overlap must be refused");
    assert!(coopole_app::db::is_conflict(&err), "{err}");
    app.db
        .execute_unprepared(&format!(
            "UPDATE occupancies SET ends_at = 3500 WHERE leaf_space_id = {a} AND starts_at = 2000"
        ))
        .await
        .expect("a row may grow into free time");

    assert_eq!(
        occupancy::Entity::find().count(&app.db).await.unwrap(),
        before + 3
    );
}
