//! Device cookies (OWASP's "slow down online guessing attacks with device cookies"): a browser
//! that has signed in to an account before is known by a random token, stored here hashed, and
//! is not held back by the failures others cause on that account.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum DeviceCookies {
    Table,
    Id,
    TokenHash,
    UserId,
    CreatedAt,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum LoginThrottles {
    Table,
    LastFailureAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(DeviceCookies::Table)
                    .col(pk_auto(DeviceCookies::Id))
                    .col(string_len_uniq(DeviceCookies::TokenHash, 64))
                    .col(integer(DeviceCookies::UserId))
                    .col(timestamp_with_time_zone(DeviceCookies::CreatedAt))
                    .col(timestamp_with_time_zone(DeviceCookies::ExpiresAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_device_cookies_user")
                            .from(DeviceCookies::Table, DeviceCookies::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_device_cookies_expires_at")
                    .table(DeviceCookies::Table)
                    .col(DeviceCookies::ExpiresAt)
                    .to_owned(),
            )
            .await?;
        // The hourly purge deletes old throttle rows by their last failure.
        manager
            .create_index(
                Index::create()
                    .name("idx_login_throttles_last_failure_at")
                    .table(LoginThrottles::Table)
                    .col(LoginThrottles::LastFailureAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_login_throttles_last_failure_at")
                    .table(LoginThrottles::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(DeviceCookies::Table).to_owned())
            .await
    }
}
