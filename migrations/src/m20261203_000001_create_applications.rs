//! Candidates' applications for offices, desks and storage; the visit slots managers open;
//! the selection committee's sessions, agendas and decisions; the diversity targets; the
//! units promised to accepted candidates; and the floor plan's layout.
//!
//! - `organisations` gains the year of creation and the ESUS approval, which the committee
//!   compares (age band) and an application records.
//! - `visit_slots.booked` counts the applications that took the slot; a check keeps it within
//!   the capacity on both backends, so the last place cannot be taken twice.
//! - `application_steps`: append-only; who moved an application, from what to what, when and
//!   why.
//! - `committee_items`: one application on one session's agenda, with its decision once voted.
//!   A vote needs the item, so an application off the agenda cannot be voted on.
//! - `unit_promises`: a unit promised to one accepted application at a time (unique unit).
//! - `unit_layouts`: each unit's rectangle on its floor's plan, in decimetres.
use crate::helpers::{fk, index, unique};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Organisations {
    Table,
    Id,
    FoundedYear,
    Esus,
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
enum Leases {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum VisitSlots {
    Table,
    Id,
    StartsAt,
    EndsAt,
    Capacity,
    Booked,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Committees {
    Table,
    Id,
    MeetsAt,
    Place,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Applications {
    Table,
    Id,
    CandidateId,
    OrganisationName,
    LegalForm,
    Siret,
    FoundedYear,
    Esus,
    Sector,
    Headcount,
    Address,
    OfficePeople,
    Desks,
    StorageM2,
    WantedFrom,
    DurationMonths,
    Project,
    Contribution,
    ContactName,
    ContactEmail,
    ContactPhone,
    Status,
    VisitSlotId,
    CommitteeId,
    WaitRank,
    OrganisationId,
    LeaseId,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ApplicationSteps {
    Table,
    Id,
    ApplicationId,
    FromStatus,
    ToStatus,
    ByUser,
    At,
    Note,
}

#[derive(DeriveIden)]
enum CommitteeItems {
    Table,
    Id,
    CommitteeId,
    ApplicationId,
    Position,
    Decision,
    VotesFor,
    VotesAgainst,
    VotesAbstain,
    Reasons,
    DecidedBy,
    DecidedAt,
}

#[derive(DeriveIden)]
enum DiversityTargets {
    Table,
    Id,
    Kind,
    Value,
}

#[derive(DeriveIden)]
enum UnitPromises {
    Table,
    Id,
    SpaceId,
    ApplicationId,
    PromisedBy,
    PromisedAt,
}

#[derive(DeriveIden)]
enum UnitLayouts {
    Table,
    Id,
    SpaceId,
    Floor,
    X,
    Y,
    Width,
    Height,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        for column in [
            integer_null(Organisations::FoundedYear),
            boolean(Organisations::Esus).default(false).to_owned(),
        ] {
            let mut column = column;
            manager
                .alter_table(
                    Table::alter()
                        .table(Organisations::Table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(VisitSlots::Table)
                    .col(pk_auto(VisitSlots::Id))
                    .col(timestamp_with_time_zone(VisitSlots::StartsAt))
                    .col(timestamp_with_time_zone(VisitSlots::EndsAt))
                    .col(integer(VisitSlots::Capacity))
                    .col(integer(VisitSlots::Booked).default(0))
                    .col(integer(VisitSlots::CreatedBy))
                    .col(timestamp_with_time_zone(VisitSlots::CreatedAt))
                    .check(Expr::col(VisitSlots::Capacity).between(1, 50))
                    .check(Expr::col(VisitSlots::Booked).gte(0))
                    .check(Expr::col(VisitSlots::Booked).lte(Expr::col(VisitSlots::Capacity)))
                    .check(Expr::col(VisitSlots::EndsAt).gt(Expr::col(VisitSlots::StartsAt)))
                    .foreign_key(&mut fk(
                        "fk_visit_slots_created_by",
                        (VisitSlots::Table, VisitSlots::CreatedBy),
                        (Users::Table, Users::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Committees::Table)
                    .col(pk_auto(Committees::Id))
                    .col(timestamp_with_time_zone(Committees::MeetsAt))
                    .col(string_len(Committees::Place, 120))
                    .col(integer(Committees::CreatedBy))
                    .col(timestamp_with_time_zone(Committees::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_committees_created_by",
                        (Committees::Table, Committees::CreatedBy),
                        (Users::Table, Users::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Applications::Table)
                    .col(pk_auto(Applications::Id))
                    .col(integer(Applications::CandidateId))
                    .col(string_len(Applications::OrganisationName, 120))
                    .col(string_len(Applications::LegalForm, 30))
                    .col(string_len(Applications::Siret, 14))
                    .col(integer(Applications::FoundedYear))
                    .col(boolean(Applications::Esus))
                    .col(string_len(Applications::Sector, 40))
                    .col(integer(Applications::Headcount))
                    .col(string_len(Applications::Address, 300))
                    .col(integer(Applications::OfficePeople))
                    .col(integer(Applications::Desks))
                    .col(integer(Applications::StorageM2))
                    .col(date(Applications::WantedFrom))
                    .col(integer_null(Applications::DurationMonths))
                    .col(text(Applications::Project))
                    .col(text(Applications::Contribution))
                    .col(string_len(Applications::ContactName, 120))
                    .col(string_len(Applications::ContactEmail, 254))
                    .col(string_len(Applications::ContactPhone, 40))
                    .col(string_len(Applications::Status, 20))
                    .col(integer_null(Applications::VisitSlotId))
                    .col(integer_null(Applications::CommitteeId))
                    .col(integer_null(Applications::WaitRank))
                    .col(integer_null(Applications::OrganisationId))
                    .col(integer_null(Applications::LeaseId))
                    .col(timestamp_with_time_zone(Applications::CreatedAt))
                    .col(timestamp_with_time_zone(Applications::UpdatedAt))
                    .check(Expr::col(Applications::Headcount).between(1, 10_000))
                    .check(Expr::col(Applications::OfficePeople).between(0, 200))
                    .check(Expr::col(Applications::Desks).between(0, 44))
                    .check(Expr::col(Applications::StorageM2).between(0, 200))
                    .foreign_key(&mut fk(
                        "fk_applications_candidate",
                        (Applications::Table, Applications::CandidateId),
                        (Users::Table, Users::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_applications_visit_slot",
                        (Applications::Table, Applications::VisitSlotId),
                        (VisitSlots::Table, VisitSlots::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_applications_committee",
                        (Applications::Table, Applications::CommitteeId),
                        (Committees::Table, Committees::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_applications_organisation",
                        (Applications::Table, Applications::OrganisationId),
                        (Organisations::Table, Organisations::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_applications_lease",
                        (Applications::Table, Applications::LeaseId),
                        (Leases::Table, Leases::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_applications_candidate",
            Applications::Table,
            [Applications::CandidateId],
        )
        .await?;
        index(
            manager,
            "idx_applications_status",
            Applications::Table,
            [Applications::Status],
        )
        .await?;
        // One lease per application, and a place on the waiting list held by one application.
        unique(
            manager,
            "uq_applications_lease",
            Applications::Table,
            [Applications::LeaseId],
        )
        .await?;
        unique(
            manager,
            "uq_applications_wait_rank",
            Applications::Table,
            [Applications::WaitRank],
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(ApplicationSteps::Table)
                    .col(pk_auto(ApplicationSteps::Id))
                    .col(integer(ApplicationSteps::ApplicationId))
                    .col(string_len_null(ApplicationSteps::FromStatus, 20))
                    .col(string_len(ApplicationSteps::ToStatus, 20))
                    .col(integer(ApplicationSteps::ByUser))
                    .col(timestamp_with_time_zone(ApplicationSteps::At))
                    .col(text(ApplicationSteps::Note))
                    .foreign_key(&mut fk(
                        "fk_application_steps_application",
                        (ApplicationSteps::Table, ApplicationSteps::ApplicationId),
                        (Applications::Table, Applications::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_application_steps_by",
                        (ApplicationSteps::Table, ApplicationSteps::ByUser),
                        (Users::Table, Users::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_application_steps_application",
            ApplicationSteps::Table,
            [ApplicationSteps::ApplicationId],
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(CommitteeItems::Table)
                    .col(pk_auto(CommitteeItems::Id))
                    .col(integer(CommitteeItems::CommitteeId))
                    .col(integer(CommitteeItems::ApplicationId))
                    .col(integer(CommitteeItems::Position))
                    .col(string_len_null(CommitteeItems::Decision, 20))
                    .col(integer_null(CommitteeItems::VotesFor))
                    .col(integer_null(CommitteeItems::VotesAgainst))
                    .col(integer_null(CommitteeItems::VotesAbstain))
                    .col(string_len_null(CommitteeItems::Reasons, 2000))
                    .col(integer_null(CommitteeItems::DecidedBy))
                    .col(timestamp_with_time_zone_null(CommitteeItems::DecidedAt))
                    .check(Expr::col(CommitteeItems::VotesFor).gte(0))
                    .check(Expr::col(CommitteeItems::VotesAgainst).gte(0))
                    .check(Expr::col(CommitteeItems::VotesAbstain).gte(0))
                    .foreign_key(&mut fk(
                        "fk_committee_items_committee",
                        (CommitteeItems::Table, CommitteeItems::CommitteeId),
                        (Committees::Table, Committees::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_committee_items_application",
                        (CommitteeItems::Table, CommitteeItems::ApplicationId),
                        (Applications::Table, Applications::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        unique(
            manager,
            "uq_committee_items",
            CommitteeItems::Table,
            [CommitteeItems::CommitteeId, CommitteeItems::ApplicationId],
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(DiversityTargets::Table)
                    .col(pk_auto(DiversityTargets::Id))
                    .col(string_len(DiversityTargets::Kind, 40))
                    .col(integer(DiversityTargets::Value))
                    .check(Expr::col(DiversityTargets::Value).between(1, 100))
                    .to_owned(),
            )
            .await?;
        unique(
            manager,
            "uq_diversity_targets_kind",
            DiversityTargets::Table,
            [DiversityTargets::Kind],
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(UnitPromises::Table)
                    .col(pk_auto(UnitPromises::Id))
                    .col(integer(UnitPromises::SpaceId))
                    .col(integer(UnitPromises::ApplicationId))
                    .col(integer(UnitPromises::PromisedBy))
                    .col(timestamp_with_time_zone(UnitPromises::PromisedAt))
                    .foreign_key(&mut fk(
                        "fk_unit_promises_space",
                        (UnitPromises::Table, UnitPromises::SpaceId),
                        (Spaces::Table, Spaces::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_unit_promises_application",
                        (UnitPromises::Table, UnitPromises::ApplicationId),
                        (Applications::Table, Applications::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        unique(
            manager,
            "uq_unit_promises_space",
            UnitPromises::Table,
            [UnitPromises::SpaceId],
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(UnitLayouts::Table)
                    .col(pk_auto(UnitLayouts::Id))
                    .col(integer(UnitLayouts::SpaceId))
                    .col(integer(UnitLayouts::Floor))
                    .col(integer(UnitLayouts::X))
                    .col(integer(UnitLayouts::Y))
                    .col(integer(UnitLayouts::Width))
                    .col(integer(UnitLayouts::Height))
                    .check(Expr::col(UnitLayouts::Floor).between(-2, 10))
                    .check(Expr::col(UnitLayouts::X).between(0, 2000))
                    .check(Expr::col(UnitLayouts::Y).between(0, 2000))
                    .check(Expr::col(UnitLayouts::Width).between(1, 500))
                    .check(Expr::col(UnitLayouts::Height).between(1, 500))
                    .foreign_key(&mut fk(
                        "fk_unit_layouts_space",
                        (UnitLayouts::Table, UnitLayouts::SpaceId),
                        (Spaces::Table, Spaces::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        unique(
            manager,
            "uq_unit_layouts_space",
            UnitLayouts::Table,
            [UnitLayouts::SpaceId],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            UnitLayouts::Table.into_iden(),
            UnitPromises::Table.into_iden(),
            DiversityTargets::Table.into_iden(),
            CommitteeItems::Table.into_iden(),
            ApplicationSteps::Table.into_iden(),
            Applications::Table.into_iden(),
            Committees::Table.into_iden(),
            VisitSlots::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        for column in [
            Organisations::FoundedYear.into_iden(),
            Organisations::Esus.into_iden(),
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
