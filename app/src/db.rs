//! Connecting to the database and opening write transactions, the same way on both backends.
use sea_orm::{
    ConnectOptions, Database, DatabaseConnection, DatabaseTransaction, DbErr,
    SqliteTransactionMode, TransactionOptions, TransactionTrait,
};
use std::time::Duration;

/// Connects to `url` (`sqlite://…` or `postgres://…`).
///
/// SQLite runs in WAL mode so readers never wait for the writer, with `synchronous = FULL`
/// so that a committed write survives a power cut, and waits up to 5 s for a busy writer.
pub async fn connect(url: &str, max_connections: u32) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .max_connections(max_connections)
        .min_connections(1)
        .acquire_timeout(Duration::from_secs(10))
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(|opts| {
            opts.journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Full)
                .busy_timeout(Duration::from_secs(5))
                .foreign_keys(true)
        });
    Database::connect(options).await
}

/// Opens a transaction that writes. On SQLite it takes the write lock at once
/// (`BEGIN IMMEDIATE`), so a check made inside it still holds when the write lands.
/// On PostgreSQL it is a plain transaction; constraints and row locks do that work.
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    db.begin_with_options(TransactionOptions {
        isolation_level: None,
        access_mode: None,
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
    })
    .await
}

/// The SQLSTATE (PostgreSQL) or extended result code (SQLite) of a database error.
pub fn error_code(err: &DbErr) -> Option<String> {
    use sea_orm::RuntimeErr;
    match err {
        DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e)) => e
            .as_database_error()
            .and_then(|d| d.code())
            .map(|code| code.into_owned()),
        _ => None,
    }
}

/// Whether a database error is a unique or exclusion constraint refusing a write.
pub fn is_conflict(err: &DbErr) -> bool {
    // 23P01: PostgreSQL's exclusion_violation, which SeaORM does not classify.
    matches!(
        err.sql_err(),
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
    ) || error_code(err).as_deref() == Some("23P01")
}

/// Whether a write lost a race for a slot: a constraint refused it, or, on PostgreSQL, two
/// transactions checking the exclusion constraint against each other's rows deadlocked
/// (40P01) and this one was chosen to fail. Either way the other one holds the slot.
pub fn lost_race(err: &DbErr) -> bool {
    is_conflict(err) || error_code(err).as_deref() == Some("40P01")
}
