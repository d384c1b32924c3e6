//! A database-level guard against double booking on SQLite, like PostgreSQL's exclusion
//! constraint (`occupancies_no_overlap`, see `m20261122_000003_create_bookings`).
//!
//! Every writer checks for a clash inside `BEGIN IMMEDIATE`, but a future writer who forgets
//! would double-book silently. These triggers refuse any occupancy row that overlaps another
//! of the same leaf space, whatever the code that writes it. The application recognises the
//! refusal by its message (`occupancies_no_overlap`) and reports a clash.
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

const GUARDS: [&str; 2] = [
    "CREATE TRIGGER occupancies_no_overlap_insert BEFORE INSERT ON occupancies
     WHEN EXISTS (
         SELECT 1 FROM occupancies o
         WHERE o.leaf_space_id = NEW.leaf_space_id
           AND o.starts_at < NEW.ends_at
           AND o.ends_at > NEW.starts_at
     )
     BEGIN SELECT RAISE(ABORT, 'occupancies_no_overlap'); END",
    "CREATE TRIGGER occupancies_no_overlap_update
     BEFORE UPDATE OF leaf_space_id, starts_at, ends_at ON occupancies
     WHEN EXISTS (
         SELECT 1 FROM occupancies o
         WHERE o.leaf_space_id = NEW.leaf_space_id
           AND o.starts_at < NEW.ends_at
           AND o.ends_at > NEW.starts_at
           AND o.id <> NEW.id
     )
     BEGIN SELECT RAISE(ABORT, 'occupancies_no_overlap'); END",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // PostgreSQL already refuses overlaps with its exclusion constraint.
        if manager.get_database_backend() != DbBackend::Sqlite {
            return Ok(());
        }
        let db = manager.get_connection();
        for guard in GUARDS {
            db.execute_unprepared(guard).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DbBackend::Sqlite {
            return Ok(());
        }
        let db = manager.get_connection();
        for name in [
            "occupancies_no_overlap_insert",
            "occupancies_no_overlap_update",
        ] {
            db.execute_unprepared(&format!("DROP TRIGGER IF EXISTS {name}"))
                .await?;
        }
        Ok(())
    }
}
