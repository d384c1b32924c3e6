//! Coopole's web server: the router, its middleware, and start-up.
//! `router` and `serve` are public so that tests start the real app on 127.0.0.1:0.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

pub mod bench;
pub mod config;
pub mod demo;
mod guard;
pub mod limits;
pub mod net;

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use coopole_app::state::{AppConfig, AppState};
use coopole_app::{App, shell};
use coopole_migrations::{Migrator, MigratorTrait};
use leptos::config::LeptosOptions;
use leptos_axum::{AxumRouteListing, LeptosRoutes, generate_route_list};
use sea_orm::DatabaseConnection;
use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};
use tokio::net::TcpListener;
use tower_http::set_header::SetResponseHeaderLayer;

pub use config::Config;

/// The Leptos options: from cargo-leptos' environment when it runs us, else this
/// repository's layout (`target/site`, or `LEPTOS_SITE_ROOT`; output name `coopole`).
pub fn leptos_options(addr: SocketAddr) -> LeptosOptions {
    let from_cargo_leptos = std::env::var_os("LEPTOS_OUTPUT_NAME").is_some();
    let configured = from_cargo_leptos
        .then(|| leptos::config::get_configuration(None).ok())
        .flatten();
    let mut options = match configured {
        Some(conf) => conf.leptos_options,
        None => LeptosOptions::builder()
            .output_name("coopole")
            .site_root(
                std::env::var("LEPTOS_SITE_ROOT").unwrap_or_else(|_| "target/site".to_owned()),
            )
            .build(),
    };
    options.site_addr = addr;
    options
}

/// Connects to the database, creating the SQLite folder when needed.
pub async fn connect(config: &Config) -> Result<DatabaseConnection, sea_orm::DbErr> {
    if let Some(dir) = config.sqlite_dir() {
        std::fs::create_dir_all(&dir)
            .map_err(|e| sea_orm::DbErr::Custom(format!("cannot create {}: {e}", dir.display())))?;
    }
    coopole_app::db::connect(&config.database_url, config.db_max_connections).await
}

/// Connects, applies pending migrations, and builds the state every handler shares.
pub async fn build_state(config: &Config) -> Result<AppState, sea_orm::DbErr> {
    let db = connect(config).await?;
    Migrator::up(&db, None).await?;
    Ok(AppState {
        leptos_options: leptos_options(config.addr),
        db,
        config: Arc::new(AppConfig {
            secure_cookies: config.secure_cookies,
            trusted_proxies: config.trusted_proxies.clone(),
            rate_limit: config.rate_limit,
            session_days: config.session_days,
            events: coopole_app::events::service::EventTerms {
                deposit_percent: config.event_deposit_percent,
                cancellation: config.event_cancellation.clone(),
                ..Default::default()
            },
            operator: config.operator.clone(),
        }),
        catalogue: Default::default(),
    })
}

/// 200 when the database answers, 503 otherwise.
async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    match state.db.ping().await {
        Ok(()) => (StatusCode::OK, "ok"),
        Err(e) => {
            tracing::error!(error = %e, "health check: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}

/// The app's routes, worked out once per process. Leptos raises a process-wide flag while it
/// walks the app for its routes, and a resource first polled meanwhile on another thread never
/// loads (leptos-rs/leptos#4773): that hung a test whose neighbour was starting its server.
fn route_list() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// A request's path as logs may show it: calendar-feed addresses are secrets (whoever has one
/// reads the calendar), so everything after `/agenda/` is left out.
pub fn loggable_path(path: &str) -> &str {
    if path.starts_with("/agenda/") {
        "/agenda/…"
    } else {
        path
    }
}

pub fn router(state: AppState) -> Router {
    let routes = route_list();
    let header = |name: &'static str, value: &'static str| {
        SetResponseHeaderLayer::if_not_present(
            axum::http::HeaderName::from_static(name),
            axum::http::HeaderValue::from_static(value),
        )
    };
    let trusted: Arc<[coopole_app::state::IpNet]> = state.config.trusted_proxies.clone().into();
    let limiter = state
        .config
        .rate_limit
        .and_then(limits::Limiter::new)
        .map(Arc::new);
    if let Some(limiter) = &limiter {
        forget_idle_clients(limiter);
    }
    // Pages set their own policy, with their nonce; this one covers every other response.
    let csp =
        axum::http::HeaderValue::from_str(&coopole_app::routes::content_security_policy(None)).ok();
    // Browsers remember HSTS for a year: only sent when the hub says it is served over HTTPS.
    let hsts = state
        .config
        .secure_cookies
        .then(|| axum::http::HeaderValue::from_static("max-age=31536000"));
    Router::new()
        .route("/healthz", get(healthz))
        .route(
            "/agenda/reservation/{file}",
            get(coopole_app::bookings::http::booking_file),
        )
        .route("/agenda/{file}", get(coopole_app::bookings::http::feed))
        .route(
            "/gestion/occupation/{file}",
            get(coopole_app::hosting::http::occupancy_csv),
        )
        .route(
            "/baux/{id}/bail.pdf",
            get(coopole_app::hosting::http::lease_pdf),
        )
        .route(
            "/factures/{id}/facture.pdf",
            get(coopole_app::billing::http::invoice_pdf),
        )
        .route(
            "/factures/{id}/factur-x.xml",
            get(coopole_app::billing::http::invoice_xml),
        )
        // The browser code, as compressed at build time (brotli -q 11, gzip -9) when those
        // files exist: better ratios than compressing each response.
        .nest_service(
            &format!("/{}", state.leptos_options.site_pkg_dir),
            tower_http::services::ServeDir::new(format!(
                "{}/{}",
                state.leptos_options.site_root, state.leptos_options.site_pkg_dir
            ))
            .precompressed_br()
            .precompressed_gzip(),
        )
        .leptos_routes(&state, routes, {
            let options = state.leptos_options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(axum::middleware::from_fn(guard::api_status))
        .layer(axum::middleware::from_fn_with_state(
            limiter,
            |State(limiter): State<Option<Arc<limits::Limiter>>>,
             request: axum::extract::Request,
             next: axum::middleware::Next| async move {
                match limiter {
                    Some(limiter) => limits::limit(State(limiter), request, next).await,
                    None => next.run(request).await,
                }
            },
        ))
        .layer(axum::middleware::from_fn(guard::same_origin))
        .layer(axum::middleware::from_fn_with_state(
            trusted,
            net::client_addr,
        ))
        .layer(header("x-content-type-options", "nosniff"))
        .layer(header("x-frame-options", "DENY"))
        .layer(header("referrer-policy", "same-origin"))
        .layer(SetResponseHeaderLayer::if_not_present(
            axum::http::header::CONTENT_SECURITY_POLICY,
            csp,
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            axum::http::header::STRICT_TRANSPORT_SECURITY,
            hsts,
        ))
        .layer(tower_http::compression::CompressionLayer::new())
        .layer(
            tower_http::trace::TraceLayer::new_for_http().make_span_with(
                |request: &axum::http::Request<axum::body::Body>| {
                    // Like tower-http's default span, without the query and with feed
                    // secrets left out of the path.
                    tracing::debug_span!(
                        "request",
                        method = %request.method(),
                        path = loggable_path(request.uri().path()),
                        version = ?request.version(),
                    )
                },
            ),
        )
        .with_state(state)
}

/// Now and then, lets the rate limiter forget addresses that are quiet again; stops when the
/// router that owns the limiter is gone.
fn forget_idle_clients(limiter: &Arc<limits::Limiter>) {
    let Ok(runtime) = tokio::runtime::Handle::try_current() else {
        return;
    };
    let weak = Arc::downgrade(limiter);
    runtime.spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(60));
        loop {
            tick.tick().await;
            match weak.upgrade() {
                Some(limiter) => limiter.forget_idle(),
                None => break,
            }
        }
    });
}

/// Serves the hub on `listener` until Ctrl-C or SIGTERM.
pub async fn serve(listener: TcpListener, state: AppState) -> std::io::Result<()> {
    let db = state.db.clone();
    tokio::spawn(async move {
        // Expired sessions are useless; clear them out now and then.
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            tick.tick().await;
            match coopole_app::auth::service::purge_expired_sessions(&db, chrono::Utc::now()).await
            {
                Ok(n) if n > 0 => tracing::info!(sessions = n, "expired sessions removed"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "could not purge expired sessions"),
            }
            // Tiers follow the leases: resident while one is in force, as before once they end.
            let today = coopole_app::bookings::rules::paris_today(chrono::Utc::now());
            match coopole_app::hosting::service::sync_tiers(&db, today).await {
                Ok(n) if n > 0 => tracing::info!(organisations = n, "tiers follow the leases"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "could not bring the tiers in line"),
            }
            // Old runs of failed sign-ins and expired device cookies serve nobody either.
            match coopole_app::auth::service::purge_sign_in_records(&db, chrono::Utc::now()).await {
                Ok(n) if n > 0 => tracing::info!(rows = n, "old sign-in records removed"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "could not purge old sign-in records"),
            }
        }
    });
    let db = state.db.clone();
    tokio::spawn(async move {
        // Options lapse at their expiry even when nobody looks at the pipeline.
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(60));
        loop {
            tick.tick().await;
            match coopole_app::events::service::lapse_due(&db, chrono::Utc::now()).await {
                Ok(lapsed) if !lapsed.is_empty() => {
                    tracing::info!(events = ?lapsed, "options lapsed")
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "could not lapse due options"),
            }
        }
    });
    let db = state.db.clone();
    tokio::spawn(async move {
        // Runs being issued go on here, invoice by invoice, and resume after a restart. The
        // instance's name is unique per process, so of several servers on one database only
        // the one holding a run's claim issues it.
        let instance = format!(
            "{}-{}",
            std::process::id(),
            &coopole_app::auth::service::new_secret()[..12]
        );
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(2));
        loop {
            tick.tick().await;
            match coopole_app::billing::service::issue_pending_runs(&db, &instance).await {
                Ok(n) if n > 0 => tracing::info!(invoices = n, "invoices issued"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "could not issue a billing run"),
            }
        }
    });
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::warn!(error = %e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
