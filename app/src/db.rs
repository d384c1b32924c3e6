//! Connecting to the database and opening write transactions, the same way on both backends.
use sea_orm::sea_query::{Expr, SimpleExpr};
use sea_orm::{
    ColumnTrait, Condition, ConnectOptions, Database, DatabaseConnection, DatabaseTransaction,
    DbErr, EntityTrait, QueryFilter, SqliteTransactionMode, TransactionOptions, TransactionTrait,
    Value,
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

/// The message of the SQLite triggers that refuse an overlapping occupancy (migration
/// `m20261201_000001_guard_occupancies`), the counterpart of PostgreSQL's exclusion constraint.
pub const OCCUPANCY_OVERLAP: &str = "occupancies_no_overlap";

/// The message of the SQLite triggers that refuse a unit let twice (migration
/// `m20261202_000002_create_leases`), the counterpart of PostgreSQL's exclusion constraint.
pub const UNIT_LET_OVERLAP: &str = "unit_lets_no_overlap";

/// Whether a database error is a unique or exclusion constraint refusing a write, or the
/// SQLite trigger that stands in for the exclusion constraint.
pub fn is_conflict(err: &DbErr) -> bool {
    // 23P01: PostgreSQL's exclusion_violation, which SeaORM does not classify.
    matches!(
        err.sql_err(),
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
    ) || error_code(err).as_deref() == Some("23P01")
        || is_overlap_trigger(err)
}

/// Whether one of SQLite's overlap triggers refused the write (`RAISE(ABORT, …)`).
fn is_overlap_trigger(err: &DbErr) -> bool {
    use sea_orm::RuntimeErr;
    match err {
        DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e)) => {
            e.as_database_error().is_some_and(|d| {
                let message = d.message();
                message.contains(OCCUPANCY_OVERLAP) || message.contains(UNIT_LET_OVERLAP)
            })
        }
        _ => false,
    }
}

/// Whether a write lost a race for a slot: a constraint refused it, or, on PostgreSQL, two
/// transactions checking the exclusion constraint against each other's rows deadlocked
/// (40P01) and this one was chosen to fail. Either way the other one holds the slot.
pub fn lost_race(err: &DbErr) -> bool {
    is_conflict(err) || error_code(err).as_deref() == Some("40P01")
}

// ---------------------------------------------------------------------------------------------
// Status transitions: "move this row from status A to B, or refuse".
//
// Each domain's `rules.rs` says which transitions exist; `Transition::decide` asks it, and
// `transition` writes the move as a compare-and-set inside the caller's write transaction, so
// a row whose status moved since it was read is never overwritten.

/// A move from one status to another that the domain's rule allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transition<S> {
    pub from: S,
    pub to: S,
}

impl<S: Copy> Transition<S> {
    /// Asks the domain's rule where `from` leads; its refusal comes back unchanged.
    pub fn decide<R>(from: S, rule: impl FnOnce(S) -> Result<S, R>) -> Result<Self, R> {
        rule(from).map(|to| Transition { from, to })
    }
}

/// What a compare-and-set found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use]
pub enum Cas {
    /// The row was in the expected status and has moved.
    Moved,
    /// The row was no longer in the expected status (or is gone): nothing was written.
    Stale,
}

impl Cas {
    /// Reads the row count of an `UPDATE … WHERE id = ? AND status = ?`.
    pub fn from_rows(rows_affected: u64) -> Cas {
        if rows_affected == 0 {
            Cas::Stale
        } else {
            Cas::Moved
        }
    }
}

/// Moves row `id` of `E` along `t`: `UPDATE … SET status = t.to, <also> WHERE id = ? AND
/// status = t.from AND <guard>`, inside the caller's write transaction. `Cas::Stale` means the
/// row had moved on: the caller refuses (and rolls back whatever it wrote before).
pub async fn transition<E, S>(
    txn: &DatabaseTransaction,
    (id_column, id): (E::Column, i32),
    status_column: E::Column,
    t: Transition<S>,
    also: Vec<(E::Column, SimpleExpr)>,
    guard: Condition,
) -> Result<Cas, DbErr>
where
    E: EntityTrait,
    S: Into<Value> + Copy,
{
    let mut update = E::update_many().col_expr(status_column, Expr::value(t.to));
    for (column, value) in also {
        update = update.col_expr(column, value);
    }
    let done = update
        .filter(id_column.eq(id))
        .filter(status_column.eq(t.from))
        .filter(guard)
        .exec(txn)
        .await?;
    Ok(Cas::from_rows(done.rows_affected))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Light {
        Red,
        Green,
    }

    fn next(from: Light) -> Result<Light, &'static str> {
        match from {
            Light::Red => Ok(Light::Green),
            Light::Green => Err("already green"),
        }
    }

    #[test]
    fn a_transition_is_what_the_rule_allows() {
        assert_eq!(
            Transition::decide(Light::Red, next),
            Ok(Transition {
                from: Light::Red,
                to: Light::Green
            })
        );
        assert_eq!(Transition::decide(Light::Green, next), Err("already green"));
    }

    #[test]
    fn no_row_updated_means_the_state_had_moved() {
        assert_eq!(Cas::from_rows(0), Cas::Stale);
        assert_eq!(Cas::from_rows(1), Cas::Moved);
    }
}
