//! Small builders the migrations share. (The bookings and events migrations keep their own
//! `fk`, which takes the delete action.)
use sea_orm_migration::prelude::*;

pub async fn index<const N: usize>(
    manager: &SchemaManager<'_>,
    name: &str,
    table: impl IntoIden,
    cols: [impl IntoIden; N],
) -> Result<(), DbErr> {
    let mut create = Index::create().name(name).table(table).to_owned();
    for col in cols {
        create.col(col);
    }
    manager.create_index(create).await
}

pub async fn unique<const N: usize>(
    manager: &SchemaManager<'_>,
    name: &str,
    table: impl IntoIden,
    cols: [impl IntoIden; N],
) -> Result<(), DbErr> {
    let mut create = Index::create().name(name).table(table).unique().to_owned();
    for col in cols {
        create.col(col);
    }
    manager.create_index(create).await
}

/// A foreign key that refuses to delete what a row refers to: the record is kept.
pub fn fk(
    name: &str,
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(ForeignKeyAction::Restrict)
        .to_owned()
}

/// Drops `tables` in the order given.
pub async fn drop_tables(
    manager: &SchemaManager<'_>,
    tables: impl IntoIterator<Item = DynIden>,
) -> Result<(), DbErr> {
    for table in tables {
        manager
            .drop_table(Table::drop().table(table).to_owned())
            .await?;
    }
    Ok(())
}
