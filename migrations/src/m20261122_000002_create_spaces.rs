use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Spaces {
    Table,
    Id,
    Code,
    Name,
    Kind,
    AreaM2,
    Capacity,
    ParentId,
    Description,
    Bookable,
    CreatedAt,
}

#[derive(DeriveIden)]
enum SpaceEquipment {
    Table,
    SpaceId,
    Equipment,
}

#[derive(DeriveIden)]
enum SpaceRates {
    Table,
    Id,
    SpaceId,
    Tier,
    Unit,
    AmountCents,
    VatRateBp,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Spaces::Table)
                    .col(pk_auto(Spaces::Id))
                    .col(string_len_uniq(Spaces::Code, 20))
                    .col(string_len(Spaces::Name, 100))
                    .col(string_len(Spaces::Kind, 20))
                    .col(integer(Spaces::AreaM2))
                    .col(integer(Spaces::Capacity))
                    .col(integer_null(Spaces::ParentId))
                    .col(text(Spaces::Description).default(""))
                    .col(boolean(Spaces::Bookable).default(false))
                    .col(timestamp_with_time_zone(Spaces::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_spaces_parent")
                            .from(Spaces::Table, Spaces::ParentId)
                            .to(Spaces::Table, Spaces::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .check(Expr::col(Spaces::AreaM2).gt(0))
                    .check(Expr::col(Spaces::Capacity).gte(0))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_spaces_kind")
                    .table(Spaces::Table)
                    .col(Spaces::Kind)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(SpaceEquipment::Table)
                    .col(integer(SpaceEquipment::SpaceId))
                    .col(string_len(SpaceEquipment::Equipment, 30))
                    .primary_key(
                        Index::create()
                            .col(SpaceEquipment::SpaceId)
                            .col(SpaceEquipment::Equipment),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_space_equipment_space")
                            .from(SpaceEquipment::Table, SpaceEquipment::SpaceId)
                            .to(Spaces::Table, Spaces::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(SpaceRates::Table)
                    .col(pk_auto(SpaceRates::Id))
                    .col(integer(SpaceRates::SpaceId))
                    .col(string_len(SpaceRates::Tier, 20))
                    .col(string_len(SpaceRates::Unit, 20))
                    .col(big_integer(SpaceRates::AmountCents))
                    .col(integer(SpaceRates::VatRateBp))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_space_rates_space")
                            .from(SpaceRates::Table, SpaceRates::SpaceId)
                            .to(Spaces::Table, Spaces::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .check(Expr::col(SpaceRates::AmountCents).gte(0))
                    .check(Expr::col(SpaceRates::VatRateBp).gte(0))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_space_rates_space_tier_unit")
                    .table(SpaceRates::Table)
                    .col(SpaceRates::SpaceId)
                    .col(SpaceRates::Tier)
                    .col(SpaceRates::Unit)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            SpaceRates::Table.into_iden(),
            SpaceEquipment::Table.into_iden(),
            Spaces::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
