//! `coopole-server`: serve the hub, manage the schema, load the demo data.
use coopole_migrations::{Migrator, MigratorTrait};
use coopole_server::{Config, build_state, connect, demo, serve};
use std::process::ExitCode;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str = "\
Usage: coopole-server [COMMAND]

Commands:
  serve               Serve the hub (the default); applies pending migrations first
  migrate up          Apply every pending migration
  migrate down        Roll back the most recent migration
  migrate status      List the migrations and whether each is applied
  seed --demo         Load the demo hub and a month of activity around today
                      (idempotent: running it twice changes nothing)
  seed --demo --if-empty
                      Load the demo hub only into a database that has no spaces yet
  export factur-x DIR Write every issued invoice and credit note into DIR, as its
                      Factur-X PDF (NUMBER.pdf) and its CII XML (NUMBER.xml)
  bench calendar|bookings [options]
                      Fill an empty database and measure (see server/src/bench.rs)

Configuration comes from environment variables; see README.md.";

#[tokio::main]
async fn main() -> ExitCode {
    let config = match Config::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("coopole-server: configuration error: {e}");
            return ExitCode::from(2);
        }
    };
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(&config.log_filter))
        .init();

    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        [] | ["serve"] => run_server(&config).await,
        ["migrate", "up"] => migrate(&config, Step::Up).await,
        ["migrate", "down"] => migrate(&config, Step::Down).await,
        ["migrate", "status"] => migrate(&config, Step::Status).await,
        ["seed", "--demo"] => seed(&config, false).await,
        ["seed", "--demo", "--if-empty"] => seed(&config, true).await,
        ["export", "factur-x", dir] => export_facturx(&config, dir).await,
        ["bench", rest @ ..] => bench(&config, rest).await,
        ["help" | "--help" | "-h"] => {
            println!("{USAGE}");
            Ok(())
        }
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("coopole-server: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run_server(config: &Config) -> Result<(), String> {
    let state = build_state(config)
        .await
        .map_err(|e| format!("database: {e}"))?;
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", config.addr))?;
    tracing::info!("Coopole is listening on http://{}", config.addr);
    serve(listener, state)
        .await
        .map_err(|e| format!("server: {e}"))
}

enum Step {
    Up,
    Down,
    Status,
}

async fn migrate(config: &Config, step: Step) -> Result<(), String> {
    let db = connect(config)
        .await
        .map_err(|e| format!("database: {e}"))?;
    match step {
        Step::Up => Migrator::up(&db, None).await,
        Step::Down => Migrator::down(&db, Some(1)).await,
        Step::Status => {
            let migrations = Migrator::get_migration_with_status(&db)
                .await
                .map_err(|e| format!("database: {e}"))?;
            for m in migrations {
                println!("{:<8} {}", m.status().to_string(), m.name());
            }
            Ok(())
        }
    }
    .map_err(|e| format!("migration: {e}"))
}

/// The archive of the hub's e-invoices, and what the test command validates.
async fn export_facturx(config: &Config, dir: &str) -> Result<(), String> {
    use coopole_app::billing::{cii, facturx, service};
    let db = connect(config)
        .await
        .map_err(|e| format!("database: {e}"))?;
    let dir = std::path::Path::new(dir);
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let ids = service::issued_ids(&db)
        .await
        .map_err(|e| format!("database: {e}"))?;
    for id in &ids {
        let doc = service::invoice_doc(&db, *id)
            .await
            .map_err(|e| format!("database: {e}"))?
            .ok_or_else(|| format!("invoice {id} vanished"))?;
        let number = doc.number.clone().unwrap_or_else(|| id.to_string());
        let xml = cii::xml(&doc).map_err(|e| format!("{number}: {e}"))?;
        let pdf = facturx::pdf(&doc).map_err(|e| format!("{number}: {e}"))?;
        for (ext, body) in [("xml", xml), ("pdf", pdf)] {
            let path = dir.join(format!("{number}.{ext}"));
            std::fs::write(&path, body).map_err(|e| format!("{}: {e}", path.display()))?;
        }
    }
    println!("{} documents written to {}", ids.len(), dir.display());
    Ok(())
}

async fn bench(config: &Config, args: &[&str]) -> Result<(), String> {
    let state = build_state(config)
        .await
        .map_err(|e| format!("database: {e}"))?;
    coopole_server::bench::run(&state.db, args).await
}

async fn seed(config: &Config, only_if_empty: bool) -> Result<(), String> {
    let state = build_state(config)
        .await
        .map_err(|e| format!("database: {e}"))?;
    if only_if_empty
        && !demo::is_empty(&state.db)
            .await
            .map_err(|e| format!("database: {e}"))?
    {
        println!("demo data: the database already has spaces; nothing loaded");
        return Ok(());
    }
    let report = demo::seed(&state.db)
        .await
        .map_err(|e| format!("demo data: {e}"))?;
    println!("{report}");
    // Activity dated around today, so that the demo hub looks in use whenever it is loaded.
    let activity = demo::seed_activity(&state.db, &state.config.events, chrono::Utc::now())
        .await
        .map_err(|e| format!("demo activity: {e}"))?;
    println!("{activity}");
    Ok(())
}
