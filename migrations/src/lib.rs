//! Coopole's schema as SeaORM migrations. Schema only: demo data lives in the server's `seed` command.
//! Where a guarantee needs backend-specific SQL (partial unique indexes, later exclusion
//! constraints), the migration says so and runs it on both SQLite and PostgreSQL.
pub use sea_orm_migration::prelude::*;

mod helpers;
mod m20261122_000001_create_organisations_and_users;
mod m20261122_000002_create_spaces;
mod m20261122_000003_create_bookings;
mod m20261122_000004_create_events;
mod m20261201_000001_guard_occupancies;
mod m20261201_000002_create_device_cookies;
mod m20261202_000001_add_user_language;
mod m20261202_000002_create_leases;
mod m20261203_000001_create_applications;
mod m20261204_000001_create_billing;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_create_organisations_and_users::Migration),
            Box::new(m20261122_000002_create_spaces::Migration),
            Box::new(m20261122_000003_create_bookings::Migration),
            Box::new(m20261122_000004_create_events::Migration),
            Box::new(m20261201_000001_guard_occupancies::Migration),
            Box::new(m20261201_000002_create_device_cookies::Migration),
            Box::new(m20261202_000001_add_user_language::Migration),
            Box::new(m20261202_000002_create_leases::Migration),
            Box::new(m20261203_000001_create_applications::Migration),
            Box::new(m20261204_000001_create_billing::Migration),
        ]
    }
}
