//! Event rental: requests, the spaces each event takes with their layout, quotes and their
//! lines, payments due, the event's history, and prices of extras.
//!
//! A confirmed event writes occupancy rows (one per leaf space, set-up to teardown) in the
//! same table as room bookings, so the same exclusion constraint (PostgreSQL) and the same
//! `BEGIN IMMEDIATE` check (SQLite) keep events and bookings apart. Options write none:
//! they never block a tenant's booking.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Organisations {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Spaces {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Occupancies {
    Table,
    EventId,
}

#[derive(DeriveIden)]
enum Events {
    Table,
    Id,
    Name,
    Kind,
    OrganiserId,
    OrganisationId,
    Tier,
    Attendance,
    FirstDate,
    LastDate,
    StartMinute,
    EndMinute,
    SetupMinutes,
    TeardownMinutes,
    StartsAt,
    EndsAt,
    HeldFrom,
    HeldUntil,
    Extras,
    Catering,
    CateringCovers,
    ContactPhone,
    Notes,
    SuggestSpaces,
    Status,
    OptionPlacedAt,
    OptionExpiresAt,
    CancellationFeeCents,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum EventSpaces {
    Table,
    Id,
    EventId,
    SpaceId,
    Layout,
}

#[derive(DeriveIden)]
enum EventQuotes {
    Table,
    Id,
    EventId,
    Version,
    ValidUntil,
    DiscountBp,
    DiscountReason,
    ExclVatCents,
    InclVatCents,
    SentAt,
    AcceptedAt,
    DeclinedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum EventQuoteLines {
    Table,
    Id,
    QuoteId,
    Position,
    Description,
    Quantity,
    UnitCents,
    VatBp,
}

#[derive(DeriveIden)]
enum EventPayments {
    Table,
    Id,
    EventId,
    Kind,
    AmountCents,
    DueOn,
    CreatedAt,
    VoidedAt,
}

#[derive(DeriveIden)]
enum EventHistory {
    Table,
    Id,
    EventId,
    At,
    UserId,
    What,
    Detail,
}

#[derive(DeriveIden)]
enum EventExtraRates {
    Table,
    Code,
    AmountCents,
    VatBp,
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
        manager
            .create_table(
                Table::create()
                    .table(Events::Table)
                    .col(pk_auto(Events::Id))
                    .col(string_len(Events::Name, 200))
                    .col(string_len(Events::Kind, 20))
                    .col(integer(Events::OrganiserId))
                    .col(integer_null(Events::OrganisationId))
                    .col(string_len(Events::Tier, 20))
                    .col(integer(Events::Attendance))
                    .col(date(Events::FirstDate))
                    .col(date(Events::LastDate))
                    .col(integer(Events::StartMinute))
                    .col(integer(Events::EndMinute))
                    .col(integer(Events::SetupMinutes))
                    .col(integer(Events::TeardownMinutes))
                    .col(timestamp_with_time_zone(Events::StartsAt))
                    .col(timestamp_with_time_zone(Events::EndsAt))
                    // Unix seconds, set-up to teardown: what the event holds once confirmed.
                    .col(big_integer(Events::HeldFrom))
                    .col(big_integer(Events::HeldUntil))
                    .col(string_len(Events::Extras, 200).default(""))
                    .col(string_len(Events::Catering, 1000).default(""))
                    .col(integer(Events::CateringCovers).default(0))
                    .col(string_len(Events::ContactPhone, 40).default(""))
                    .col(string_len(Events::Notes, 2000).default(""))
                    .col(boolean(Events::SuggestSpaces).default(false))
                    .col(string_len(Events::Status, 20))
                    .col(timestamp_with_time_zone_null(Events::OptionPlacedAt))
                    .col(timestamp_with_time_zone_null(Events::OptionExpiresAt))
                    .col(big_integer_null(Events::CancellationFeeCents))
                    .col(timestamp_with_time_zone(Events::CreatedAt))
                    .col(timestamp_with_time_zone(Events::UpdatedAt))
                    .foreign_key(&mut fk(
                        "fk_events_organiser",
                        (Events::Table, Events::OrganiserId),
                        (Users::Table, Users::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "fk_events_organisation",
                        (Events::Table, Events::OrganisationId),
                        (Organisations::Table, Organisations::Id),
                        ForeignKeyAction::SetNull,
                    ))
                    .check(Expr::col(Events::HeldFrom).lt(Expr::col(Events::HeldUntil)))
                    .to_owned(),
            )
            .await?;
        for (name, col) in [
            ("idx_events_status", Events::Status),
            ("idx_events_organiser", Events::OrganiserId),
            ("idx_events_first_date", Events::FirstDate),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Events::Table)
                        .col(col)
                        .to_owned(),
                )
                .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(EventSpaces::Table)
                    .col(pk_auto(EventSpaces::Id))
                    .col(integer(EventSpaces::EventId))
                    .col(integer(EventSpaces::SpaceId))
                    .col(string_len(EventSpaces::Layout, 20))
                    .foreign_key(&mut fk(
                        "fk_event_spaces_event",
                        (EventSpaces::Table, EventSpaces::EventId),
                        (Events::Table, Events::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "fk_event_spaces_space",
                        (EventSpaces::Table, EventSpaces::SpaceId),
                        (Spaces::Table, Spaces::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_event_spaces_unique")
                    .table(EventSpaces::Table)
                    .col(EventSpaces::EventId)
                    .col(EventSpaces::SpaceId)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(EventQuotes::Table)
                    .col(pk_auto(EventQuotes::Id))
                    .col(integer(EventQuotes::EventId))
                    .col(integer(EventQuotes::Version))
                    .col(date(EventQuotes::ValidUntil))
                    .col(integer(EventQuotes::DiscountBp).default(0))
                    .col(string_len(EventQuotes::DiscountReason, 200).default(""))
                    .col(big_integer(EventQuotes::ExclVatCents).default(0))
                    .col(big_integer(EventQuotes::InclVatCents).default(0))
                    .col(timestamp_with_time_zone_null(EventQuotes::SentAt))
                    .col(timestamp_with_time_zone_null(EventQuotes::AcceptedAt))
                    .col(timestamp_with_time_zone_null(EventQuotes::DeclinedAt))
                    .col(timestamp_with_time_zone(EventQuotes::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_event_quotes_event",
                        (EventQuotes::Table, EventQuotes::EventId),
                        (Events::Table, Events::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_event_quotes_version")
                    .table(EventQuotes::Table)
                    .col(EventQuotes::EventId)
                    .col(EventQuotes::Version)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(EventQuoteLines::Table)
                    .col(pk_auto(EventQuoteLines::Id))
                    .col(integer(EventQuoteLines::QuoteId))
                    .col(integer(EventQuoteLines::Position))
                    .col(string_len(EventQuoteLines::Description, 300))
                    .col(big_integer(EventQuoteLines::Quantity))
                    .col(big_integer(EventQuoteLines::UnitCents))
                    .col(integer(EventQuoteLines::VatBp))
                    .foreign_key(&mut fk(
                        "fk_event_quote_lines_quote",
                        (EventQuoteLines::Table, EventQuoteLines::QuoteId),
                        (EventQuotes::Table, EventQuotes::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(EventPayments::Table)
                    .col(pk_auto(EventPayments::Id))
                    .col(integer(EventPayments::EventId))
                    .col(string_len(EventPayments::Kind, 20))
                    .col(big_integer(EventPayments::AmountCents))
                    .col(date(EventPayments::DueOn))
                    .col(timestamp_with_time_zone(EventPayments::CreatedAt))
                    .col(timestamp_with_time_zone_null(EventPayments::VoidedAt))
                    .foreign_key(&mut fk(
                        "fk_event_payments_event",
                        (EventPayments::Table, EventPayments::EventId),
                        (Events::Table, Events::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(EventHistory::Table)
                    .col(pk_auto(EventHistory::Id))
                    .col(integer(EventHistory::EventId))
                    .col(timestamp_with_time_zone(EventHistory::At))
                    .col(integer_null(EventHistory::UserId))
                    .col(string_len(EventHistory::What, 40))
                    .col(string_len(EventHistory::Detail, 300).default(""))
                    .foreign_key(&mut fk(
                        "fk_event_history_event",
                        (EventHistory::Table, EventHistory::EventId),
                        (Events::Table, Events::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(EventExtraRates::Table)
                    .col(string_len(EventExtraRates::Code, 30).primary_key())
                    .col(big_integer(EventExtraRates::AmountCents))
                    .col(integer(EventExtraRates::VatBp))
                    .to_owned(),
            )
            .await?;

        // Occupancy rows of confirmed events. No reference: SQLite cannot add one to an
        // existing table, and events are never deleted (their rows go when they end).
        manager
            .alter_table(
                Table::alter()
                    .table(Occupancies::Table)
                    .add_column(integer_null(Occupancies::EventId))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_occupancies_event")
                    .table(Occupancies::Table)
                    .col(Occupancies::EventId)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_occupancies_event")
                    .table(Occupancies::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .get_connection()
            .execute_unprepared("DELETE FROM occupancies WHERE event_id IS NOT NULL")
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Occupancies::Table)
                    .drop_column(Occupancies::EventId)
                    .to_owned(),
            )
            .await?;
        for table in [
            EventExtraRates::Table.into_iden(),
            EventHistory::Table.into_iden(),
            EventPayments::Table.into_iden(),
            EventQuoteLines::Table.into_iden(),
            EventQuotes::Table.into_iden(),
            EventSpaces::Table.into_iden(),
            Events::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
