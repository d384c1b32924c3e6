//! Room booking: rules per space, opening hours, series, bookings, blocks, charges, feeds,
//! and the occupancy table that keeps any two uses of a space from overlapping.
//!
//! Every booking (and, later, every confirmed event) writes one occupancy row per *leaf*
//! space it takes: booking the whole hall writes a row for each half, booking a half writes
//! one. Two rows of one leaf must never overlap, so the hall and its halves block each other.
//! Times are Unix seconds (UTC), the same integers on both backends.
//! - PostgreSQL: an exclusion constraint (btree_gist) makes an overlap impossible.
//! - SQLite: the service checks and inserts inside one `BEGIN IMMEDIATE` transaction, which
//!   holds the database's single write lock from the check to the commit.
use sea_orm_migration::sea_orm::DbBackend;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Organisations {
    Table,
    Id,
    IncludedRoomMinutes,
    ShowTitlesOnDisplays,
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
enum SpaceBookingRules {
    Table,
    SpaceId,
    MinMinutes,
    MaxMinutes,
    BufferMinutes,
    MinNoticeMinutes,
    TenantMaxAdvanceDays,
    ManagerMaxAdvanceDays,
    CancelDeadlineHours,
    RequiresApproval,
    UsesIncludedHours,
}

#[derive(DeriveIden)]
enum SpaceOpeningHours {
    Table,
    Id,
    SpaceId,
    Weekday,
    OpensMinute,
    ClosesMinute,
}

#[derive(DeriveIden)]
enum BookingSeries {
    Table,
    Id,
    SpaceId,
    OrganisationId,
    CreatedBy,
    Title,
    Attendees,
    StartMinute,
    DurationMinutes,
    IntervalWeeks,
    Weekdays,
    FirstDate,
    UntilDate,
    OccurrenceCount,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Bookings {
    Table,
    Id,
    SpaceId,
    OrganisationId,
    BookedBy,
    Title,
    Attendees,
    Equipment,
    StartsAt,
    EndsAt,
    Status,
    SeriesId,
    Tier,
    IncludedMinutes,
    BillableMinutes,
    AmountCents,
    VatRateBp,
    CancelledAt,
    CancelledBy,
    CancellationCharged,
    DecidedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum SpaceBlocks {
    Table,
    Id,
    SpaceId,
    StartsAt,
    EndsAt,
    Reason,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Occupancies {
    Table,
    Id,
    LeafSpaceId,
    StartsAt,
    EndsAt,
    BookingId,
    BlockId,
}

#[derive(DeriveIden)]
enum Charges {
    Table,
    Id,
    OrganisationId,
    Source,
    SourceId,
    Description,
    AmountCents,
    VatRateBp,
    ServiceDate,
    CreatedAt,
    VoidedAt,
}

#[derive(DeriveIden)]
enum FeedTokens {
    Table,
    Id,
    UserId,
    SpaceId,
    TokenHash,
    CreatedAt,
    RevokedAt,
}

fn fk(
    name: &str,
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
    action: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(action)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // What a tenant's lease includes each month, and whether door displays show titles.
        manager
            .alter_table(
                Table::alter()
                    .table(Organisations::Table)
                    .add_column(integer(Organisations::IncludedRoomMinutes).default(0))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Organisations::Table)
                    .add_column(boolean(Organisations::ShowTitlesOnDisplays).default(false))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(SpaceBookingRules::Table)
                    .col(integer(SpaceBookingRules::SpaceId).primary_key())
                    .col(integer(SpaceBookingRules::MinMinutes))
                    .col(integer(SpaceBookingRules::MaxMinutes))
                    .col(integer(SpaceBookingRules::BufferMinutes))
                    .col(integer(SpaceBookingRules::MinNoticeMinutes))
                    .col(integer(SpaceBookingRules::TenantMaxAdvanceDays))
                    .col(integer(SpaceBookingRules::ManagerMaxAdvanceDays))
                    .col(integer(SpaceBookingRules::CancelDeadlineHours))
                    .col(boolean(SpaceBookingRules::RequiresApproval))
                    .col(boolean(SpaceBookingRules::UsesIncludedHours))
                    .foreign_key(&mut fk(
                        "fk_rules_space",
                        (SpaceBookingRules::Table, SpaceBookingRules::SpaceId),
                        (Spaces::Table, Spaces::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(SpaceOpeningHours::Table)
                    .col(pk_auto(SpaceOpeningHours::Id))
                    .col(integer(SpaceOpeningHours::SpaceId))
                    .col(small_integer(SpaceOpeningHours::Weekday))
                    .col(integer(SpaceOpeningHours::OpensMinute))
                    .col(integer(SpaceOpeningHours::ClosesMinute))
                    .foreign_key(&mut fk(
                        "fk_opening_hours_space",
                        (SpaceOpeningHours::Table, SpaceOpeningHours::SpaceId),
                        (Spaces::Table, Spaces::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .check(
                        Expr::col(SpaceOpeningHours::OpensMinute)
                            .lt(Expr::col(SpaceOpeningHours::ClosesMinute)),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_opening_hours_space")
                    .table(SpaceOpeningHours::Table)
                    .col(SpaceOpeningHours::SpaceId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(BookingSeries::Table)
                    .col(pk_auto(BookingSeries::Id))
                    .col(integer(BookingSeries::SpaceId))
                    .col(integer(BookingSeries::OrganisationId))
                    .col(integer(BookingSeries::CreatedBy))
                    .col(string_len(BookingSeries::Title, 120))
                    .col(integer(BookingSeries::Attendees))
                    .col(integer(BookingSeries::StartMinute))
                    .col(integer(BookingSeries::DurationMinutes))
                    .col(integer(BookingSeries::IntervalWeeks))
                    .col(integer(BookingSeries::Weekdays))
                    .col(date(BookingSeries::FirstDate))
                    .col(date_null(BookingSeries::UntilDate))
                    .col(integer_null(BookingSeries::OccurrenceCount))
                    .col(timestamp_with_time_zone(BookingSeries::CreatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Bookings::Table)
                    .col(pk_auto(Bookings::Id))
                    .col(integer(Bookings::SpaceId))
                    .col(integer(Bookings::OrganisationId))
                    .col(integer(Bookings::BookedBy))
                    .col(string_len(Bookings::Title, 120))
                    .col(integer(Bookings::Attendees))
                    .col(string_len(Bookings::Equipment, 300).default(""))
                    .col(timestamp_with_time_zone(Bookings::StartsAt))
                    .col(timestamp_with_time_zone(Bookings::EndsAt))
                    .col(string_len(Bookings::Status, 20))
                    .col(integer_null(Bookings::SeriesId))
                    .col(string_len(Bookings::Tier, 20))
                    .col(integer(Bookings::IncludedMinutes))
                    .col(integer(Bookings::BillableMinutes))
                    .col(big_integer(Bookings::AmountCents))
                    .col(integer(Bookings::VatRateBp))
                    .col(timestamp_with_time_zone_null(Bookings::CancelledAt))
                    .col(integer_null(Bookings::CancelledBy))
                    .col(boolean(Bookings::CancellationCharged).default(false))
                    .col(integer_null(Bookings::DecidedBy))
                    .col(timestamp_with_time_zone(Bookings::CreatedAt))
                    .col(timestamp_with_time_zone(Bookings::UpdatedAt))
                    .foreign_key(&mut fk(
                        "fk_bookings_space",
                        (Bookings::Table, Bookings::SpaceId),
                        (Spaces::Table, Spaces::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "fk_bookings_organisation",
                        (Bookings::Table, Bookings::OrganisationId),
                        (Organisations::Table, Organisations::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "fk_bookings_user",
                        (Bookings::Table, Bookings::BookedBy),
                        (Users::Table, Users::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "fk_bookings_series",
                        (Bookings::Table, Bookings::SeriesId),
                        (BookingSeries::Table, BookingSeries::Id),
                        ForeignKeyAction::SetNull,
                    ))
                    .check(Expr::col(Bookings::StartsAt).lt(Expr::col(Bookings::EndsAt)))
                    .check(Expr::col(Bookings::Attendees).gt(0))
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            (
                "idx_bookings_space_start",
                vec![Bookings::SpaceId, Bookings::StartsAt],
            ),
            (
                "idx_bookings_org_start",
                vec![Bookings::OrganisationId, Bookings::StartsAt],
            ),
            ("idx_bookings_series", vec![Bookings::SeriesId]),
            (
                "idx_bookings_status",
                vec![Bookings::Status, Bookings::StartsAt],
            ),
        ] {
            let mut index = Index::create().name(name).table(Bookings::Table).to_owned();
            for c in cols {
                index.col(c);
            }
            manager.create_index(index).await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(SpaceBlocks::Table)
                    .col(pk_auto(SpaceBlocks::Id))
                    .col(integer(SpaceBlocks::SpaceId))
                    .col(timestamp_with_time_zone(SpaceBlocks::StartsAt))
                    .col(timestamp_with_time_zone(SpaceBlocks::EndsAt))
                    .col(string_len(SpaceBlocks::Reason, 200))
                    .col(integer(SpaceBlocks::CreatedBy))
                    .col(timestamp_with_time_zone(SpaceBlocks::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_blocks_space",
                        (SpaceBlocks::Table, SpaceBlocks::SpaceId),
                        (Spaces::Table, Spaces::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .check(Expr::col(SpaceBlocks::StartsAt).lt(Expr::col(SpaceBlocks::EndsAt)))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Occupancies::Table)
                    .col(pk_auto(Occupancies::Id))
                    .col(integer(Occupancies::LeafSpaceId))
                    .col(big_integer(Occupancies::StartsAt))
                    .col(big_integer(Occupancies::EndsAt))
                    .col(integer_null(Occupancies::BookingId))
                    .col(integer_null(Occupancies::BlockId))
                    .foreign_key(&mut fk(
                        "fk_occupancies_space",
                        (Occupancies::Table, Occupancies::LeafSpaceId),
                        (Spaces::Table, Spaces::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "fk_occupancies_booking",
                        (Occupancies::Table, Occupancies::BookingId),
                        (Bookings::Table, Bookings::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "fk_occupancies_block",
                        (Occupancies::Table, Occupancies::BlockId),
                        (SpaceBlocks::Table, SpaceBlocks::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .check(Expr::col(Occupancies::StartsAt).lt(Expr::col(Occupancies::EndsAt)))
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            (
                "idx_occupancies_leaf_start",
                vec![Occupancies::LeafSpaceId, Occupancies::StartsAt],
            ),
            ("idx_occupancies_booking", vec![Occupancies::BookingId]),
            ("idx_occupancies_block", vec![Occupancies::BlockId]),
        ] {
            let mut index = Index::create()
                .name(name)
                .table(Occupancies::Table)
                .to_owned();
            for c in cols {
                index.col(c);
            }
            manager.create_index(index).await?;
        }
        if manager.get_database_backend() == DbBackend::Postgres {
            let db = manager.get_connection();
            // btree_gist is a trusted extension: the database's owner may create it.
            db.execute_unprepared("CREATE EXTENSION IF NOT EXISTS btree_gist")
                .await?;
            db.execute_unprepared(
                "ALTER TABLE occupancies ADD CONSTRAINT occupancies_no_overlap \
                 EXCLUDE USING gist (leaf_space_id WITH =, int8range(starts_at, ends_at) WITH &&)",
            )
            .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(Charges::Table)
                    .col(pk_auto(Charges::Id))
                    .col(integer(Charges::OrganisationId))
                    .col(string_len(Charges::Source, 30))
                    .col(integer(Charges::SourceId))
                    .col(string_len(Charges::Description, 300))
                    .col(big_integer(Charges::AmountCents))
                    .col(integer(Charges::VatRateBp))
                    .col(date(Charges::ServiceDate))
                    .col(timestamp_with_time_zone(Charges::CreatedAt))
                    .col(timestamp_with_time_zone_null(Charges::VoidedAt))
                    .foreign_key(&mut fk(
                        "fk_charges_organisation",
                        (Charges::Table, Charges::OrganisationId),
                        (Organisations::Table, Organisations::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_charges_source")
                    .table(Charges::Table)
                    .col(Charges::Source)
                    .col(Charges::SourceId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(FeedTokens::Table)
                    .col(pk_auto(FeedTokens::Id))
                    .col(integer(FeedTokens::UserId))
                    .col(integer_null(FeedTokens::SpaceId))
                    .col(string_len_uniq(FeedTokens::TokenHash, 64))
                    .col(timestamp_with_time_zone(FeedTokens::CreatedAt))
                    .col(timestamp_with_time_zone_null(FeedTokens::RevokedAt))
                    .foreign_key(&mut fk(
                        "fk_feed_tokens_user",
                        (FeedTokens::Table, FeedTokens::UserId),
                        (Users::Table, Users::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "fk_feed_tokens_space",
                        (FeedTokens::Table, FeedTokens::SpaceId),
                        (Spaces::Table, Spaces::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            FeedTokens::Table.into_iden(),
            Charges::Table.into_iden(),
            Occupancies::Table.into_iden(),
            SpaceBlocks::Table.into_iden(),
            Bookings::Table.into_iden(),
            BookingSeries::Table.into_iden(),
            SpaceOpeningHours::Table.into_iden(),
            SpaceBookingRules::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        for column in [
            Organisations::ShowTitlesOnDisplays.into_iden(),
            Organisations::IncludedRoomMinutes.into_iden(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Organisations::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
