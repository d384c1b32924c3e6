//! Leases (conventions d'occupation) of offices, desks and storage units.
//!
//! - `unit_prices`: the list price of a unit per month and per tier, excluding VAT, with the
//!   unit's VAT rate (equipped offices 20 %; bare storage may be exempt): configuration.
//! - `leases`: the organisation, the dates, the notice and the lease-wide terms.
//! - `lease_versions`: append-only; an amendment adds a version effective from a date, and the
//!   terms that applied on a day are those of the latest version effective on or before it.
//! - `lease_lines`: one unit of one version, with its list price and the fee charged.
//! - `unit_lets`: which lease holds which unit over which days. Two lets of one unit must never
//!   overlap. Days are `date`s, ends included; an open-ended let has no end.
//!   - PostgreSQL: an exclusion constraint over `daterange(starts_on, ends_on, '[]')`.
//!   - SQLite: triggers refuse an overlapping row, and writers check inside `BEGIN IMMEDIATE`.
//!
//!   Both raise `unit_lets_no_overlap`, which the application reports as a conflict.
use crate::helpers::fk;
use sea_orm_migration::sea_orm::DbBackend;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Organisations {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Spaces {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum UnitPrices {
    Table,
    Id,
    SpaceId,
    Tier,
    MonthlyCents,
    VatRateBp,
}

#[derive(DeriveIden)]
enum Leases {
    Table,
    Id,
    OrganisationId,
    StartsOn,
    EndsOn,
    NoticeMonths,
    DepositCents,
    IncludedRoomMinutes,
    BillingDay,
    Status,
    NoticeGivenOn,
    NoticeGivenBy,
    EndReason,
    TierBefore,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum LeaseVersions {
    Table,
    Id,
    LeaseId,
    Number,
    EffectiveFrom,
    Reason,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum LeaseLines {
    Table,
    Id,
    VersionId,
    SpaceId,
    ListFeeCents,
    FeeCents,
    DiscountReason,
    VatRateBp,
}

#[derive(DeriveIden)]
enum UnitLets {
    Table,
    Id,
    SpaceId,
    LeaseId,
    StartsOn,
    EndsOn,
}

const SQLITE_GUARDS: [&str; 2] = [
    "CREATE TRIGGER unit_lets_no_overlap_insert BEFORE INSERT ON unit_lets
     WHEN EXISTS (
         SELECT 1 FROM unit_lets l
         WHERE l.space_id = NEW.space_id
           AND l.starts_on <= COALESCE(NEW.ends_on, '9999-12-31')
           AND COALESCE(l.ends_on, '9999-12-31') >= NEW.starts_on
     )
     BEGIN SELECT RAISE(ABORT, 'unit_lets_no_overlap'); END",
    "CREATE TRIGGER unit_lets_no_overlap_update
     BEFORE UPDATE OF space_id, starts_on, ends_on ON unit_lets
     WHEN EXISTS (
         SELECT 1 FROM unit_lets l
         WHERE l.space_id = NEW.space_id
           AND l.starts_on <= COALESCE(NEW.ends_on, '9999-12-31')
           AND COALESCE(l.ends_on, '9999-12-31') >= NEW.starts_on
           AND l.id <> NEW.id
     )
     BEGIN SELECT RAISE(ABORT, 'unit_lets_no_overlap'); END",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(UnitPrices::Table)
                    .col(pk_auto(UnitPrices::Id))
                    .col(integer(UnitPrices::SpaceId))
                    .col(string_len(UnitPrices::Tier, 20))
                    .col(big_integer(UnitPrices::MonthlyCents))
                    .col(integer(UnitPrices::VatRateBp))
                    .check(Expr::col(UnitPrices::MonthlyCents).gte(0))
                    .check(Expr::col(UnitPrices::VatRateBp).between(0, 10_000))
                    .foreign_key(&mut fk(
                        "fk_unit_prices_space",
                        (UnitPrices::Table, UnitPrices::SpaceId),
                        (Spaces::Table, Spaces::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_unit_prices_tier")
                    .table(UnitPrices::Table)
                    .col(UnitPrices::SpaceId)
                    .col(UnitPrices::Tier)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Leases::Table)
                    .col(pk_auto(Leases::Id))
                    .col(integer(Leases::OrganisationId))
                    .col(date(Leases::StartsOn))
                    .col(date_null(Leases::EndsOn))
                    .col(integer(Leases::NoticeMonths))
                    .col(big_integer(Leases::DepositCents))
                    .col(integer(Leases::IncludedRoomMinutes))
                    .col(integer(Leases::BillingDay))
                    .col(string_len(Leases::Status, 20))
                    .col(date_null(Leases::NoticeGivenOn))
                    .col(integer_null(Leases::NoticeGivenBy))
                    .col(string_len_null(Leases::EndReason, 500))
                    .col(string_len(Leases::TierBefore, 20))
                    .col(integer(Leases::CreatedBy))
                    .col(timestamp_with_time_zone(Leases::CreatedAt))
                    .check(Expr::col(Leases::NoticeMonths).between(0, 24))
                    .check(Expr::col(Leases::BillingDay).between(1, 28))
                    .check(Expr::col(Leases::DepositCents).gte(0))
                    .check(Expr::col(Leases::IncludedRoomMinutes).gte(0))
                    .foreign_key(&mut fk(
                        "fk_leases_organisation",
                        (Leases::Table, Leases::OrganisationId),
                        (Organisations::Table, Organisations::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_leases_created_by",
                        (Leases::Table, Leases::CreatedBy),
                        (Users::Table, Users::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_leases_organisation")
                    .table(Leases::Table)
                    .col(Leases::OrganisationId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(LeaseVersions::Table)
                    .col(pk_auto(LeaseVersions::Id))
                    .col(integer(LeaseVersions::LeaseId))
                    .col(integer(LeaseVersions::Number))
                    .col(date(LeaseVersions::EffectiveFrom))
                    .col(string_len(LeaseVersions::Reason, 500))
                    .col(integer(LeaseVersions::CreatedBy))
                    .col(timestamp_with_time_zone(LeaseVersions::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_lease_versions_lease",
                        (LeaseVersions::Table, LeaseVersions::LeaseId),
                        (Leases::Table, Leases::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        // One version per number and one per day of effect: two managers amending at once
        // cannot both add version 3.
        for (name, second) in [
            ("uq_lease_versions_number", LeaseVersions::Number),
            ("uq_lease_versions_effective", LeaseVersions::EffectiveFrom),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(LeaseVersions::Table)
                        .col(LeaseVersions::LeaseId)
                        .col(second)
                        .unique()
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(LeaseLines::Table)
                    .col(pk_auto(LeaseLines::Id))
                    .col(integer(LeaseLines::VersionId))
                    .col(integer(LeaseLines::SpaceId))
                    .col(big_integer(LeaseLines::ListFeeCents))
                    .col(big_integer(LeaseLines::FeeCents))
                    .col(string_len_null(LeaseLines::DiscountReason, 500))
                    .col(integer(LeaseLines::VatRateBp))
                    .check(Expr::col(LeaseLines::FeeCents).gte(0))
                    .check(Expr::col(LeaseLines::ListFeeCents).gte(0))
                    .check(Expr::col(LeaseLines::VatRateBp).between(0, 10_000))
                    .foreign_key(&mut fk(
                        "fk_lease_lines_version",
                        (LeaseLines::Table, LeaseLines::VersionId),
                        (LeaseVersions::Table, LeaseVersions::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_lease_lines_space",
                        (LeaseLines::Table, LeaseLines::SpaceId),
                        (Spaces::Table, Spaces::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_lease_lines_unit")
                    .table(LeaseLines::Table)
                    .col(LeaseLines::VersionId)
                    .col(LeaseLines::SpaceId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(UnitLets::Table)
                    .col(pk_auto(UnitLets::Id))
                    .col(integer(UnitLets::SpaceId))
                    .col(integer(UnitLets::LeaseId))
                    .col(date(UnitLets::StartsOn))
                    .col(date_null(UnitLets::EndsOn))
                    .check(
                        Expr::col(UnitLets::EndsOn)
                            .is_null()
                            .or(Expr::col(UnitLets::EndsOn).gte(Expr::col(UnitLets::StartsOn))),
                    )
                    .foreign_key(&mut fk(
                        "fk_unit_lets_space",
                        (UnitLets::Table, UnitLets::SpaceId),
                        (Spaces::Table, Spaces::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_unit_lets_lease",
                        (UnitLets::Table, UnitLets::LeaseId),
                        (Leases::Table, Leases::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        for (name, col) in [
            ("idx_unit_lets_space", UnitLets::SpaceId),
            ("idx_unit_lets_lease", UnitLets::LeaseId),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(UnitLets::Table)
                        .col(col)
                        .to_owned(),
                )
                .await?;
        }
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DbBackend::Postgres => {
                db.execute_unprepared("CREATE EXTENSION IF NOT EXISTS btree_gist")
                    .await?;
                db.execute_unprepared(
                    "ALTER TABLE unit_lets ADD CONSTRAINT unit_lets_no_overlap \
                     EXCLUDE USING gist (space_id WITH =, daterange(starts_on, ends_on, '[]') WITH &&)",
                )
                .await?;
            }
            _ => {
                for guard in SQLITE_GUARDS {
                    db.execute_unprepared(guard).await?;
                }
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            UnitLets::Table.into_iden(),
            LeaseLines::Table.into_iden(),
            LeaseVersions::Table.into_iden(),
            Leases::Table.into_iden(),
            UnitPrices::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
