//! Every server function, called as an attacker would: malformed bodies, missing fields,
//! control characters, huge strings, impossible dates and numbers, injection attempts. The
//! functions come from the server_fn registry, so a new one is fuzzed without editing this
//! file. No answer may be a 5xx, and no refused request (status >= 400) may change a table.
use crate::helpers::*;
use chrono::{Duration, Weekday};
use coopole_app::auth::model::Role;
use coopole_app::entities::*;
use coopole_app::state::{AppConfig, IpNet};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, QueryOrder, Statement};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Debug;
use std::time::Instant;

/// What a field holds, which picks the extra bad values it gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Id,
    Date,
    Time,
    Number,
    Money,
    Text,
    Flag,
    Choice,
    List,
}
use Kind::*;

/// Every server function's fields, read from the `#[server]` signatures in app/src/*/api.rs.
/// A registered function missing here fails the test, so this stays complete.
const FIELDS: &[(&str, &[(&str, Kind)])] = &[
    ("auth/me", &[]),
    (
        "auth/sign_up",
        &[
            ("email", Text),
            ("name", Text),
            ("password", Text),
            ("password_confirm", Text),
            ("role", Choice),
        ],
    ),
    (
        "auth/sign_in",
        &[("email", Text), ("next", Text), ("password", Text)],
    ),
    ("auth/sign_out", &[]),
    (
        "auth/password",
        &[
            ("current", Text),
            ("password", Text),
            ("password_confirm", Text),
        ],
    ),
    ("users/list", &[("search", Text)]),
    ("organisations/options", &[]),
    ("users/get", &[("id", Id)]),
    (
        "users/update",
        &[
            ("user_id", Id),
            ("role", Choice),
            ("organisation_id", Id),
            ("is_referent", Flag),
        ],
    ),
    ("locale", &[("locale", Choice)]),
    (
        "bookings/search",
        &[
            ("date", Date),
            ("start", Time),
            ("end", Time),
            ("attendees", Number),
            ("equipment", List),
            ("organisation_id", Id),
        ],
    ),
    (
        "bookings/calendar",
        &[
            ("view", Choice),
            ("date", Date),
            ("kind", Choice),
            ("page", Number),
        ],
    ),
    ("bookings/form", &[("space_id", Id)]),
    ("bookings/create", BOOKING),
    (
        "bookings/quote",
        &[
            ("space_id", Id),
            ("date", Date),
            ("start", Time),
            ("end", Time),
            ("attendees", Number),
            ("organisation_id", Id),
        ],
    ),
    ("bookings/series/preview", SERIES),
    ("bookings/series/create", SERIES_CREATE),
    ("bookings/mine", &[]),
    ("bookings/get", &[("id", Id)]),
    (
        "bookings/change",
        &[
            ("id", Id),
            ("date", Date),
            ("start", Time),
            ("end", Time),
            ("title", Text),
            ("attendees", Number),
            ("scope", Choice),
        ],
    ),
    ("bookings/cancel", &[("id", Id), ("scope", Choice)]),
    ("bookings/pending", &[]),
    ("bookings/decide", &[("id", Id), ("decision", Choice)]),
    ("bookings/blocks", &[]),
    (
        "bookings/blocks/create",
        &[
            ("space_id", Id),
            ("start_date", Date),
            ("start_time", Time),
            ("end_date", Date),
            ("end_time", Time),
            ("reason", Text),
        ],
    ),
    ("bookings/blocks/delete", &[("id", Id)]),
    (
        "bookings/utilisation",
        &[("period", Choice), ("date", Date)],
    ),
    ("bookings/rules", &[("space_id", Id)]),
    (
        "bookings/rules/update",
        &[
            ("space_id", Id),
            ("min_minutes", Number),
            ("max_minutes", Number),
            ("buffer_minutes", Number),
            ("min_notice_minutes", Number),
            ("tenant_max_advance_days", Number),
            ("manager_max_advance_days", Number),
            ("cancel_deadline_hours", Number),
            ("requires_approval", Flag),
            ("uses_included_hours", Flag),
            ("hours", List),
        ],
    ),
    ("bookings/display", &[("code", Choice)]),
    ("feeds/list", &[]),
    ("feeds/create", &[("space_id", Id)]),
    ("feeds/revoke", &[("id", Id)]),
    ("bookings/spaces", &[]),
    ("events/spaces", &[]),
    (
        "events/request",
        &[
            ("name", Text),
            ("kind", Choice),
            ("first_date", Date),
            ("last_date", Date),
            ("start", Time),
            ("end", Time),
            ("attendance", Number),
            ("spaces", List),
            ("layouts", List),
            ("suggest", Flag),
            ("extras", List),
            ("catering", Text),
            ("catering_covers", Number),
            ("setup_hours", Number),
            ("teardown_hours", Number),
            ("contact_phone", Text),
            ("notes", Text),
            ("account_name", Text),
            ("account_email", Text),
            ("account_password", Text),
        ],
    ),
    ("events/list", &[]),
    ("events/get", &[("id", Id)]),
    ("events/calendar", &[("date", Date)]),
    ("events/send_quote", &[("id", Id)]),
    ("events/release", &[("id", Id)]),
    ("events/decline", &[("id", Id)]),
    ("events/done", &[("id", Id)]),
    ("events/close", &[("id", Id)]),
    (
        "events/spaces/set",
        &[("id", Id), ("spaces", List), ("layouts", List)],
    ),
    ("events/confirm", &[("id", Id)]),
    ("events/draft", &[("id", Id)]),
    (
        "events/quote_line",
        &[
            ("id", Id),
            ("line_id", Id),
            ("description", Text),
            ("quantity", Number),
            ("unit_price", Money),
            ("vat", Number),
        ],
    ),
    ("events/quote_line_delete", &[("id", Id), ("line_id", Id)]),
    (
        "events/quote_terms",
        &[
            ("id", Id),
            ("discount", Money),
            ("reason", Text),
            ("valid_until", Date),
        ],
    ),
    ("events/option", &[("id", Id), ("until", Date)]),
    ("events/answer", &[("id", Id), ("answer", Choice)]),
    (
        "events/cancel",
        &[("id", Id), ("fee", Money), ("agree", Flag)],
    ),
    ("hub/figures", &[]),
    ("organisations/settings", &[]),
    ("hosting/leases", &[]),
    ("hosting/my-leases", &[]),
    ("hosting/lease", &[("id", Id)]),
    ("hosting/lease-document", &[("id", Id)]),
    ("hosting/lease-form", &[("candidature", Id)]),
    ("hosting/give-notice", &[("id", Id), ("confirm", Flag)]),
    ("hosting/occupancy", &[("mois", Text), ("sur", Text)]),
    (
        "hosting/end-lease",
        &[("id", Id), ("ends_on", Date), ("end_reason", Text)],
    ),
    (
        "hosting/amend-lease",
        &[
            ("id", Id),
            ("effective_from", Date),
            ("units", List),
            ("fee_units", List),
            ("fee_amounts", List),
            ("discount_reason", Text),
            ("reason", Text),
        ],
    ),
    (
        "hosting/create-lease",
        &[
            ("organisation_id", Id),
            ("starts_on", Date),
            ("ends_on", Date),
            ("notice_months", Number),
            ("deposit", Money),
            ("included_hours", Number),
            ("billing_day", Number),
            ("units", List),
            ("fee_units", List),
            ("fee_amounts", List),
            ("discount_reason", Text),
            ("application", Id),
        ],
    ),
    ("organisations/mine", &[]),
    (
        "organisations/update",
        &[
            ("id", Id),
            ("included_hours", Number),
            ("show_titles", Flag),
        ],
    ),
    (
        "spaces/catalogue",
        &[
            ("kind", Choice),
            ("min_capacity", Number),
            ("min_area", Number),
            ("max_area", Number),
        ],
    ),
    ("spaces/detail", &[("id", Id)]),
    ("hosting/plan", &[("etage", Number)]),
    (
        "hosting/place-unit",
        &[
            ("unit", Id),
            ("floor", Number),
            ("x", Number),
            ("y", Number),
            ("width", Number),
            ("height", Number),
        ],
    ),
    ("applications/open-slots", &[]),
    ("applications/submit", APPLICATION),
    ("applications/mine", &[]),
    ("applications/pipeline", &[("statut", Choice)]),
    ("applications/get", &[("id", Id)]),
    ("applications/book-visit", &[("id", Id), ("visit_slot", Id)]),
    ("applications/withdraw", &[("id", Id)]),
    (
        "applications/move",
        &[("id", Id), ("to", Choice), ("note", Text)],
    ),
    (
        "applications/agenda",
        &[("id", Id), ("committee", Id), ("note", Text)],
    ),
    ("applications/promise", &[("id", Id), ("units", List)]),
    ("applications/organisation", &[("id", Id)]),
    ("applications/slots", &[]),
    (
        "applications/open-slot",
        &[
            ("day", Date),
            ("start", Time),
            ("minutes", Number),
            ("capacity", Number),
        ],
    ),
    ("committees/list", &[]),
    (
        "committees/create",
        &[("day", Date), ("time", Time), ("place", Text)],
    ),
    (
        "committees/targets",
        &[
            ("max_legal_form_percent", Number),
            ("max_sector_percent", Number),
            ("min_sectors", Number),
            ("min_legal_forms", Number),
        ],
    ),
    ("committees/get", &[("id", Id)]),
    (
        "committees/decide",
        &[
            ("committee", Id),
            ("application", Id),
            ("decision", Choice),
            ("votes_for", Number),
            ("votes_against", Number),
            ("votes_abstain", Number),
            ("reasons", Text),
        ],
    ),
    ("billing/seller", &[]),
    (
        "billing/save-seller",
        &[
            ("name", Text),
            ("legal_form", Text),
            ("share_capital", Money),
            ("street", Text),
            ("postcode", Text),
            ("city", Text),
            ("country", Text),
            ("siret", Text),
            ("rcs_city", Text),
            ("vat_number", Text),
            ("iban", Text),
            ("bic", Text),
            ("penalty_rate", Number),
            ("payment_days", Number),
            ("vat_on_debits", Flag),
            ("early_discount", Text),
        ],
    ),
    ("billing/runs", &[]),
    ("billing/create-run", &[("month", Text)]),
    ("billing/run", &[("id", Id)]),
    (
        "billing/exclude",
        &[("run", Id), ("profile", Id), ("exclusion_reason", Text)],
    ),
    ("billing/include", &[("run", Id), ("profile", Id)]),
    (
        "billing/manual-line",
        &[
            ("run", Id),
            ("profile", Id),
            ("description", Text),
            ("quantity", Number),
            ("amount", Money),
            ("vat_rate", Number),
            ("reason", Text),
        ],
    ),
    ("billing/issue-run", &[("run", Id)]),
    ("billing/invoice", &[("id", Id)]),
    ("billing/profile", &[("organisation", Id)]),
    (
        "billing/save-profile",
        &[
            ("organisation", Id),
            ("legal_name", Text),
            ("street", Text),
            ("postcode", Text),
            ("city", Text),
            ("country", Text),
            ("siren", Text),
            ("vat_number", Text),
            ("email", Text),
            ("members_see_invoices", Flag),
        ],
    ),
    ("billing/my-accounts", &[]),
    (
        "billing/record-payment",
        &[
            ("invoice", Id),
            ("method", Choice),
            ("date", Date),
            ("amount", Money),
            ("reference", Text),
        ],
    ),
    (
        "billing/credit-note",
        &[
            ("invoice", Id),
            ("credit_line", Id),
            ("credit", Money),
            ("credit_reason", Text),
        ],
    ),
];

const APPLICATION: &[(&str, Kind)] = &[
    ("organisation_name", Text),
    ("legal_form", Choice),
    ("siret", Text),
    ("founded_year", Number),
    ("esus", Flag),
    ("sector", Choice),
    ("headcount", Number),
    ("address", Text),
    ("office_people", Number),
    ("desks", Number),
    ("storage_m2", Number),
    ("wanted_from", Date),
    ("duration_months", Number),
    ("project", Text),
    ("contribution", Text),
    ("contact_name", Text),
    ("contact_email", Text),
    ("contact_phone", Text),
    ("visit_slot", Id),
    ("account_name", Text),
    ("account_email", Text),
    ("account_password", Text),
];

const BOOKING: &[(&str, Kind)] = &[
    ("space_id", Id),
    ("date", Date),
    ("start", Time),
    ("end", Time),
    ("title", Text),
    ("attendees", Number),
    ("equipment", List),
    ("organisation_id", Id),
];

const SERIES: &[(&str, Kind)] = &[
    ("space_id", Id),
    ("date", Date),
    ("start", Time),
    ("end", Time),
    ("title", Text),
    ("attendees", Number),
    ("equipment", List),
    ("organisation_id", Id),
    ("interval_weeks", Number),
    ("weekdays", List),
    ("until", Date),
    ("count", Number),
];

const SERIES_CREATE: &[(&str, Kind)] = &[
    ("space_id", Id),
    ("date", Date),
    ("start", Time),
    ("end", Time),
    ("title", Text),
    ("attendees", Number),
    ("equipment", List),
    ("organisation_id", Id),
    ("interval_weeks", Number),
    ("weekdays", List),
    ("until", Date),
    ("count", Number),
    ("skip", List),
];

/// The fields an endpoint missing from [`FIELDS`] is fuzzed with all the same.
const GENERIC: &[(&str, Kind)] = &[("id", Id), ("x", Text)];

/// The endpoints a visitor reaches without an account, fuzzed anonymously too.
const ANONYMOUS: &[&str] = &[
    "auth/sign_in",
    "auth/sign_up",
    "events/request",
    "applications/submit",
    "applications/open-slots",
    "locale",
];

/// Today's count of `#[server` functions in app/src/*/api.rs, less a few: an empty or
/// half-linked registry fails here.
const AT_LEAST: usize = 95;

/// The bad values every field gets, one field at a time.
fn generic_values() -> Vec<(&'static str, String)> {
    vec![
        ("NUL", "a\0b".into()),
        ("U+0001", "a\u{1}b".into()),
        ("ESC U+001B", "\u{1b}[31mrouge".into()),
        ("100,000 chars", "a".repeat(100_000)),
        ("2026-02-30", "2026-02-30".into()),
        ("25:61", "25:61".into()),
        ("20 digits", "99999999999999999999".into()),
        ("-1", "-1".into()),
        ("0.-5", "0.-5".into()),
        ("1e309", "1e309".into()),
        ("NaN", "NaN".into()),
        ("path traversal", "../../etc/passwd".into()),
        ("SQL injection", "' OR 1=1 --".into()),
        ("%", "%".into()),
        ("4-byte emoji", "🦀🧨😀🦀🧨😀🦀🧨😀🦀🧨😀".into()),
    ]
}

/// A few more, by kind.
fn kind_values(kind: Kind) -> Vec<(&'static str, String)> {
    let v = |pairs: &[(&'static str, &str)]| -> Vec<(&'static str, String)> {
        pairs.iter().map(|(k, v)| (*k, (*v).to_owned())).collect()
    };
    match kind {
        Id => v(&[("i32 overflow", "2147483648"), ("zero", "0")]),
        Date => v(&[("2026-13-01", "2026-13-01"), ("9999-12-31", "9999-12-31")]),
        Time => v(&[("24:01", "24:01"), ("-01:00", "-01:00")]),
        Number => v(&[("u32 overflow", "4294967296"), ("1.5", "1.5")]),
        Money => v(&[("1,5,5", "1,5,5"), ("-0,01", "-0,01")]),
        Text => v(&[("bidi override", "abc\u{202e}def"), ("newline", "a\nb")]),
        Flag => v(&[("false", "false")]),
        Choice => v(&[("upper case", "MANAGER"), ("spaces", " all ")]),
        List => v(&[("i32 overflow", "2147483648")]),
    }
}

/// Extra values for one field: long searches and e-mails.
fn field_values(endpoint: &str, field: &str) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if (endpoint == "users/list" && field == "search") || endpoint == "bookings/search" {
        out.push(("50,001-char search", "a".repeat(50_001)));
    }
    if field.ends_with("email") {
        out.push(("311-char e-mail", format!("{}@exemple.fr", "a".repeat(300))));
        out.push((
            "100,000-char e-mail",
            format!("{}@exemple.fr", "a".repeat(100_000 - 11)),
        ));
    }
    out
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Who {
    Manager,
    Tenant,
    Anonymous,
}

/// The objects the plausible values point at.
struct Fixture {
    organisation: i32,
    space: i32,
    hall: i32,
    /// An office no demo lease holds.
    office: i32,
    booking: i32,
    event: i32,
    block: i32,
    feed: i32,
    line: i32,
    /// A tenant whom `users/update` may change, so the fuzzing tenant stays as it is.
    target_user: i32,
    manager: i32,
    tenant: i32,
    date: chrono::NaiveDate,
    event_date: chrono::NaiveDate,
}

/// One request of the fuzz.
#[derive(Clone)]
struct Case {
    field: String,
    value: String,
    content_type: &'static str,
    body: Vec<u8>,
}

/// Every row of every table, as text, sorted: what must not move when a request is refused.
type Digest = BTreeMap<&'static str, Vec<String>>;

async fn rows<E>(db: DatabaseConnection) -> (&'static str, Vec<String>)
where
    E: EntityTrait + Default,
    E::Model: Debug,
{
    let name = E::default().table_name();
    let name: &'static str = Box::leak(name.to_owned().into_boxed_str());
    let mut rows: Vec<String> = E::find()
        .all(&db)
        .await
        .unwrap_or_else(|e| panic!("read {name}: {e}"))
        .iter()
        .map(|m| format!("{m:?}"))
        .collect();
    rows.sort();
    (name, rows)
}

macro_rules! every_table {
    ($db:expr, $($entity:ident),* $(,)?) => {{
        let mut set = tokio::task::JoinSet::new();
        $( set.spawn(rows::<$entity::Entity>($db.clone())); )*
        set
    }};
}

async fn digest(db: &DatabaseConnection) -> Digest {
    // Every entity of coopole_app::entities; `tables_are_all_digested` checks none is missing.
    let mut set = every_table!(
        db,
        billing_profile,
        billing_run,
        billing_run_exclusion,
        billing_setting,
        booking,
        booking_series,
        charge,
        device_cookie,
        event,
        event_extra_rate,
        event_history,
        event_payment,
        event_quote,
        event_quote_line,
        event_space,
        feed_token,
        invoice,
        invoice_line,
        invoice_series,
        lease,
        lease_line,
        lease_version,
        ledger_account,
        login_throttle,
        payment,
        payment_allocation,
        seller_identity,
        application,
        application_step,
        committee,
        committee_item,
        diversity_target,
        unit_layout,
        unit_promise,
        visit_slot,
        occupancy,
        organisation,
        session,
        space,
        space_block,
        space_booking_rule,
        space_equipment,
        space_opening_hour,
        space_rate,
        unit_let,
        unit_price,
        user,
    );
    let mut out = Digest::new();
    while let Some(done) = set.join_next().await {
        let (name, rows) = done.expect("digest task");
        out.insert(name, rows);
    }
    out
}

/// The database's own list of tables, less the migrations' bookkeeping.
async fn database_tables(db: &DatabaseConnection) -> BTreeSet<String> {
    let sql = match db.get_database_backend() {
        DbBackend::Postgres => {
            "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'"
        }
        _ => "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
    };
    db.query_all_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap()
        .iter()
        .map(|r| r.try_get::<String>("", "name").unwrap())
        .filter(|n| n != "seaql_migrations")
        .collect()
}

/// What changed between two digests, one line per table, with the first differing row.
fn changes(before: &Digest, after: &Digest, allowed: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    for (table, rows) in after {
        let old = before.get(table).cloned().unwrap_or_default();
        if &old == rows || allowed.contains(table) {
            continue;
        }
        let gone = old.iter().find(|r| !rows.contains(r));
        let new = rows.iter().find(|r| !old.contains(r));
        out.push(format!(
            "{table}: {} rows -> {} (was {}; now {})",
            old.len(),
            rows.len(),
            excerpt(gone.map(String::as_str).unwrap_or("-"), 160),
            excerpt(new.map(String::as_str).unwrap_or("-"), 160),
        ));
    }
    out
}

fn excerpt(s: &str, max: usize) -> String {
    let mut out: String = s.chars().take(max).collect();
    if s.chars().nth(max).is_some() {
        out.push('…');
    }
    out.escape_debug().to_string()
}

/// `application/x-www-form-urlencoded`, byte by byte.
fn encode_into(s: &[u8], out: &mut Vec<u8>) {
    for &b in s {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'*' => out.push(b),
            b' ' => out.push(b'+'),
            _ => out.extend(format!("%{b:02X}").bytes()),
        }
    }
}

fn encode(pairs: &[(String, String)]) -> Vec<u8> {
    let mut out = Vec::new();
    for (k, v) in pairs {
        if !out.is_empty() {
            out.push(b'&');
        }
        encode_into(k.as_bytes(), &mut out);
        out.push(b'=');
        encode_into(v.as_bytes(), &mut out);
    }
    out
}

const FORM: &str = "application/x-www-form-urlencoded";

struct Fuzz {
    app: TestApp,
    fx: Fixture,
    http: reqwest::Client,
    origin: String,
    tokens: BTreeMap<Who, String>,
    /// Each request comes from its own address (the test trusts 127.0.0.1 as a proxy), so
    /// the per-address sign-in throttle does not answer 429 to the whole fuzz.
    requests: usize,
    emails: usize,
    failures: BTreeMap<String, String>,
    accepted: usize,
    replays: usize,
    /// Answers by status, and time spent digesting, for the summary.
    statuses: BTreeMap<u16, usize>,
    digesting: std::time::Duration,
    /// The digest after the last request, when nothing has moved since.
    last: Option<Digest>,
    /// `COOPOLE_FUZZ_LOG=1` prints every answer, to see what was accepted.
    log: bool,
    /// Time spent per endpoint, for the summary.
    timing: BTreeMap<String, std::time::Duration>,
}

impl Fuzz {
    async fn digest(&mut self) -> Digest {
        let t = Instant::now();
        let d = digest(&self.app.db).await;
        self.digesting += t.elapsed();
        d
    }

    fn fresh_email(&mut self) -> String {
        self.emails += 1;
        format!("fuzz{}@exemple.fr", self.emails)
    }

    /// A value the endpoint would accept for `field`, as form pairs (lists as `field[]`).
    fn plausible(&mut self, endpoint: &str, field: &str, kind: Kind) -> Vec<(String, String)> {
        // A new address each time, so that sign-up and event requests do not stop at "taken".
        if matches!(field, "email" | "account_email") && endpoint != "auth/sign_in" {
            return vec![(field.to_owned(), self.fresh_email())];
        }
        let fx = &self.fx;
        let one = |v: String| vec![(field.to_owned(), v)];
        let list = |vs: Vec<String>| -> Vec<(String, String)> {
            vs.into_iter().map(|v| (format!("{field}[]"), v)).collect()
        };
        let date = fx.date.to_string();
        match (endpoint, field) {
            (_, "space_id") => one(fx.space.to_string()),
            (_, "organisation_id") => one(fx.organisation.to_string()),
            (_, "user_id") => one(fx.target_user.to_string()),
            (_, "line_id") => one(fx.line.to_string()),
            (e, "id") => one(if e.starts_with("bookings/blocks") {
                fx.block
            } else if e.starts_with("bookings/") {
                fx.booking
            } else if e.starts_with("events/") {
                fx.event
            } else if e.starts_with("users/") {
                fx.target_user
            } else if e.starts_with("spaces/") {
                fx.space
            } else if e.starts_with("feeds/") {
                fx.feed
            } else if e.starts_with("organisations/") {
                fx.organisation
            } else {
                1
            }
            .to_string()),
            ("auth/sign_in", "email") => one(SIGN_IN.into()),
            ("auth/password", "password" | "password_confirm") => {
                one("une-autre-phrase-solide".into())
            }
            // A visitor's event request checks every event field before the account's
            // password: a short one keeps the fuzz from creating (and hashing) an account per
            // accepted value. The member's requests still go all the way.
            ("events/request" | "applications/submit", "account_password") => one("court".into()),
            ("applications/submit", "organisation_name") => one("Atelier Fuzz".into()),
            ("applications/submit", "legal_form") => one("association".into()),
            ("applications/submit", "siret") => one("732 829 320 00074".into()),
            ("applications/submit", "founded_year") => one("2019".into()),
            ("applications/submit", "sector") => one("culture".into()),
            ("applications/submit", "headcount") => one("4".into()),
            ("applications/submit", "office_people") => one("3".into()),
            ("applications/submit", "desks" | "storage_m2" | "duration_months") => {
                one(String::new())
            }
            ("applications/submit", "wanted_from") => {
                one((fx.date + Duration::days(30)).to_string())
            }
            ("applications/submit", "visit_slot") => one(String::new()),
            (_, "address" | "project" | "contribution") => one("Nantes".into()),
            (_, "contact_name") => one("Lou Martin".into()),
            (_, "contact_email") => one("lou@exemple.fr".into()),
            ("applications/pipeline", "statut") => one("received".into()),
            ("applications/move", "to") => one("visited".into()),
            ("applications/book-visit", "visit_slot") => one("1".into()),
            // A lease from no application: the fuzz's leases are a manager's own.
            ("hosting/create-lease", "application") => one(String::new()),
            (_, "committee" | "application" | "unit") => one("1".into()),
            ("committees/decide", "decision") => one("accepted".into()),
            ("committees/decide", "votes_for") => one("5".into()),
            ("committees/decide", "votes_against" | "votes_abstain") => one("0".into()),
            (_, "reasons" | "note") => one("Projet coopératif".into()),
            (_, "place") => one("Salle Loire".into()),
            ("applications/open-slot" | "committees/create", "day") => {
                one((fx.date + Duration::days(7)).to_string())
            }
            (_, "time") => one("14:00".into()),
            (_, "minutes") => one("60".into()),
            (_, "capacity") => one("4".into()),
            ("committees/targets", "max_legal_form_percent" | "max_sector_percent") => {
                one("40".into())
            }
            ("committees/targets", _) => one("5".into()),
            ("hosting/plan", "etage") => one("1".into()),
            ("hosting/place-unit", "floor") => one("1".into()),
            ("hosting/place-unit", "x" | "y") => one("10".into()),
            ("hosting/place-unit", "width" | "height") => one("30".into()),
            (_, "password" | "password_confirm" | "current") => one(PASSWORD.into()),
            ("events/request", "first_date" | "last_date") => one(fx.event_date.to_string()),
            ("bookings/blocks/create", "start_date" | "end_date") => {
                one((fx.date + Duration::days(7)).to_string())
            }
            ("bookings/blocks/create", "start_time") => one("07:00".into()),
            ("bookings/blocks/create", "end_time") => one("08:00".into()),
            ("hosting/create-lease", "starts_on") => one(date),
            ("hosting/create-lease", "ends_on" | "deposit" | "discount_reason") => {
                one(String::new())
            }
            ("hosting/create-lease" | "hosting/amend-lease", "units") => {
                list(vec![fx.office.to_string()])
            }
            ("hosting/amend-lease", "effective_from") | ("hosting/end-lease", "ends_on") => {
                one(date)
            }
            ("hosting/amend-lease", "discount_reason") => one(String::new()),
            ("hosting/end-lease", "end_reason") => one("Départ d'un commun accord".into()),
            ("hosting/occupancy", "mois") => one(fx.date.format("%Y-%m").to_string()),
            ("hosting/occupancy", "sur") => one("12".into()),
            (_, "until" | "valid_until") => one((fx.date + Duration::days(21)).to_string()),
            (_, "date") => one(date),
            (_, "start") => one("10:00".into()),
            (_, "end") => one("11:00".into()),
            (_, "name" | "account_name") => one("Camille Martin".into()),
            (_, "title" | "description") => one("Réunion d'équipe".into()),
            (_, "reason") => one("Travaux".into()),
            (_, "search") => one("mart".into()),
            (_, "contact_phone") => one("02 40 00 00 00".into()),
            (_, "notes" | "catering" | "scope") => one(String::new()),
            (_, "next") => one("/espaces".into()),
            (_, "role") => one("tenant".into()),
            (_, "view") => one("week".into()),
            ("events/request", "kind") => one("fair".into()),
            (_, "kind") => one("meeting_room".into()),
            (_, "decision") => one("approve".into()),
            (_, "answer") => one("accept".into()),
            (_, "period") => one("month".into()),
            (_, "locale") => one("en".into()),
            (_, "code") => one("SALLE-LOIRE".into()),
            (_, "attendees" | "quantity" | "count" | "min_capacity") => one("2".into()),
            (_, "attendance") => one("50".into()),
            (_, "interval_weeks" | "page" | "setup_hours" | "teardown_hours") => one("1".into()),
            (_, "catering_covers" | "discount" | "fee" | "buffer_minutes") => one("0".into()),
            (_, "unit_price") => one("100".into()),
            (_, "vat") => one("20".into()),
            (_, "min_area") => one("5".into()),
            (_, "max_area") => one("5000".into()),
            (_, "included_hours") => one("10".into()),
            (_, "min_minutes") => one("30".into()),
            (_, "max_minutes") => one("480".into()),
            (_, "min_notice_minutes") => one("60".into()),
            (_, "tenant_max_advance_days") => one("90".into()),
            (_, "manager_max_advance_days") => one("365".into()),
            (_, "cancel_deadline_hours") => one("24".into()),
            ("events/request" | "events/spaces/set", "spaces") => list(vec![fx.hall.to_string()]),
            ("events/request" | "events/spaces/set", "layouts") => {
                list(vec![format!("{}:theatre", fx.hall)])
            }
            (_, "extras") => list(vec!["sound".into()]),
            (_, "weekdays") => list(vec!["tue".into()]),
            (_, "hours") => list(vec!["08:00-20:00".into(); 7]),
            // Flags, equipment, skipped dates: left out, as an unticked box.
            _ if kind == Flag || kind == List => Vec::new(),
            _ => one("1".into()),
        }
    }

    /// The cases for one field: every bad value in it, the other fields plausible.
    fn field_cases(&mut self, endpoint: &str, fields: &[(&str, Kind)], i: usize) -> Vec<Case> {
        let (field, kind) = fields[i];
        let mut values = generic_values();
        values.extend(kind_values(kind));
        values.extend(field_values(endpoint, field));
        let mut cases = Vec::new();
        for (name, value) in values.into_iter().map(|(n, v)| (n.to_owned(), v)) {
            let mut pairs = Vec::new();
            for (j, &(f, k)) in fields.iter().enumerate() {
                if j == i {
                    if kind == List {
                        // The bad value first, then what would be plausible (if anything).
                        pairs.push((format!("{f}[]"), value.clone()));
                        pairs.extend(self.plausible(endpoint, f, k).into_iter().skip(1));
                    } else {
                        pairs.push((f.to_owned(), value.clone()));
                    }
                } else {
                    pairs.extend(self.plausible(endpoint, f, k));
                }
            }
            cases.push(Case {
                field: field.to_owned(),
                value: name,
                content_type: FORM,
                body: encode(&pairs),
            });
        }
        // The field's value as raw bytes that are not UTF-8.
        let mut others = Vec::new();
        for (j, &(f, k)) in fields.iter().enumerate() {
            if j != i {
                others.extend(self.plausible(endpoint, f, k));
            }
        }
        let mut body = encode(&others);
        if !body.is_empty() {
            body.push(b'&');
        }
        let key = if kind == List {
            format!("{field}[]")
        } else {
            field.to_owned()
        };
        encode_into(key.as_bytes(), &mut body);
        body.extend_from_slice(b"=\xff\xfe");
        cases.push(Case {
            field: field.to_owned(),
            value: "raw bytes FF FE".into(),
            content_type: FORM,
            body,
        });
        if kind == List {
            // An index serde_qs would have to allocate up to.
            let mut body = encode(&others);
            if !body.is_empty() {
                body.push(b'&');
            }
            encode_into(
                format!("{field}[99999999999999999999]").as_bytes(),
                &mut body,
            );
            body.extend_from_slice(b"=1");
            cases.push(Case {
                field: field.to_owned(),
                value: "list index 10^20".into(),
                content_type: FORM,
                body,
            });
        }
        cases
    }

    /// Bodies that break the form as a whole.
    fn body_cases() -> Vec<Case> {
        let case = |value: &str, content_type, body: &[u8]| Case {
            field: "(body)".into(),
            value: value.into(),
            content_type,
            body: body.to_vec(),
        };
        vec![
            case("empty body", FORM, b""),
            case("x=\\xff", FORM, b"x=\xff"),
            case("id=\\xff\\xfe", FORM, b"id=\xff\xfe"),
            case("a lone %", FORM, b"%"),
            case("JSON with NUL", "application/json", b"{\"id\":\"\\u0000\"}"),
        ]
    }

    async fn send(
        &mut self,
        who: Who,
        endpoint: &str,
        case: &Case,
    ) -> Result<(u16, String), String> {
        self.requests += 1;
        let n = self.requests;
        let address = format!("100.{}.{}.{}", 64 + n / 65536, (n / 256) % 256, n % 256);
        let mut request = self
            .http
            .post(self.app.url(&format!("/api/{endpoint}")))
            .header("origin", &self.origin)
            .header("content-type", case.content_type)
            .header("x-forwarded-for", address)
            .body(case.body.clone());
        if let Some(token) = self.tokens.get(&who) {
            request = request.header("cookie", format!("coopole_session={token}"));
        }
        let res = request
            .send()
            .await
            .map_err(|e| format!("no answer: {e}"))?;
        let status = res.status().as_u16();
        let body = res.text().await.unwrap_or_default();
        *self.statuses.entry(status).or_default() += 1;
        Ok((status, body))
    }

    /// After an accepted request, the actor may have been signed out (sign-out, sign-in, a
    /// password change): sign them in again, outside any measured window.
    async fn keep_signed_in(&mut self, who: Who) {
        let Some(token) = self.tokens.get(&who).cloned() else {
            return;
        };
        let res = self
            .http
            .post(self.app.url("/api/auth/me"))
            .header("cookie", format!("coopole_session={token}"))
            .send()
            .await
            .unwrap();
        let body = res.text().await.unwrap_or_default();
        if body.trim() == "null" || body.is_empty() {
            let user = match who {
                Who::Manager => self.fx.manager,
                _ => self.fx.tenant,
            };
            let token = coopole_app::auth::service::create_session(
                &self.app.db,
                user,
                chrono::Utc::now(),
                1,
            )
            .await
            .unwrap();
            self.tokens.insert(who, token);
            self.last = None;
        }
    }

    fn fail(&mut self, who: Who, endpoint: &str, case: &Case, what: String) {
        let key = format!(
            "{endpoint} [{who:?}] field `{}` value `{}`",
            case.field, case.value
        );
        self.failures.entry(key).or_insert(what);
    }

    /// Tables a refused request may change: a wrong sign-in is counted, by design.
    fn allowed(endpoint: &str, status: u16) -> &'static [&'static str] {
        if endpoint == "auth/sign_in" && matches!(status, 401 | 429) {
            &["login_throttles"]
        } else {
            &[]
        }
    }

    /// The digest now: the one taken after the last request, while nothing else moved.
    async fn current(&mut self) -> Digest {
        match self.last.take() {
            Some(d) => d,
            None => self.digest().await,
        }
    }

    /// The per-account throttle would soon answer 429 to every sign-in of the fixture's
    /// account; each sign-in batch starts with a clean slate so the fuzz reaches the code.
    async fn clear_throttles(&mut self, endpoint: &str) {
        if endpoint == "auth/sign_in" {
            let done = login_throttle::Entity::delete_many()
                .exec(&self.app.db)
                .await
                .unwrap();
            if done.rows_affected > 0 {
                self.last = None;
            }
        }
    }

    /// Sends cases one after the other; a 5xx or no answer is a failure at once.
    async fn run(
        &mut self,
        who: Who,
        endpoint: &str,
        cases: &[Case],
    ) -> Vec<(Option<u16>, String)> {
        let mut out = Vec::new();
        for case in cases {
            match self.send(who, endpoint, case).await {
                Ok((status, body)) => {
                    if self.log {
                        eprintln!(
                            "fuzz: {status} {endpoint} [{who:?}] `{}` = {} -> {}",
                            case.field,
                            case.value,
                            excerpt(&body, 120)
                        );
                    }
                    if status >= 500 {
                        self.fail(
                            who,
                            endpoint,
                            case,
                            format!("{status}: {}", excerpt(&body, 300)),
                        );
                    }
                    out.push((Some(status), body));
                }
                Err(e) => {
                    self.fail(who, endpoint, case, e);
                    out.push((None, String::new()));
                }
            }
        }
        out
    }

    /// Whether every request was refused and left the tables as they were.
    fn clean(
        endpoint: &str,
        got: &[(Option<u16>, String)],
        before: &Digest,
        after: &Digest,
    ) -> bool {
        let allowed: Vec<&str> = got
            .iter()
            .flat_map(|(s, _)| Self::allowed(endpoint, s.unwrap_or(0)).iter().copied())
            .collect();
        got.iter().all(|(s, _)| refused(*s)) && changes(before, after, &allowed).is_empty()
    }

    /// One request with a digest on each side.
    async fn one(&mut self, who: Who, endpoint: &str, case: &Case) {
        self.clear_throttles(endpoint).await;
        let before = self.current().await;
        let got = self.run(who, endpoint, std::slice::from_ref(case)).await;
        let after = self.digest().await;
        let (status, body) = &got[0];
        if refused(*status) {
            let status = status.unwrap_or(0);
            let changed = changes(&before, &after, Self::allowed(endpoint, status));
            if !changed.is_empty() {
                self.fail(
                    who,
                    endpoint,
                    case,
                    format!(
                        "refused with {status} ({}) but changed {}",
                        excerpt(body, 200),
                        changed.join("; ")
                    ),
                );
            }
            self.last = Some(after);
        } else {
            self.last = Some(after);
            self.keep_signed_in(who).await;
        }
    }

    /// Sends a batch with one digest before and after. When something changed, or something
    /// was accepted, sends it again: what the first pass saw refused together, the rest one by
    /// one, and a group that changed a table one by one too, to name the culprit.
    async fn batch(&mut self, who: Who, endpoint: &str, cases: Vec<Case>) {
        self.clear_throttles(endpoint).await;
        let before = self.current().await;
        let first = self.run(who, endpoint, &cases).await;
        let after = self.digest().await;
        if Self::clean(endpoint, &first, &before, &after) {
            self.last = Some(after);
            return;
        }
        self.replays += 1;
        if !first.iter().all(|(s, _)| refused(*s)) {
            self.accepted += 1;
            self.keep_signed_in(who).await;
        }
        let mut i = 0;
        while i < cases.len() {
            let mut j = i + 1;
            if refused(first[i].0) {
                while j < cases.len() && refused(first[j].0) {
                    j += 1;
                }
            }
            let group = &cases[i..j];
            i = j;
            if group.len() == 1 {
                self.one(who, endpoint, &group[0]).await;
                continue;
            }
            self.clear_throttles(endpoint).await;
            let before = self.current().await;
            let got = self.run(who, endpoint, group).await;
            let after = self.digest().await;
            if Self::clean(endpoint, &got, &before, &after) {
                self.last = Some(after);
                continue;
            }
            self.keep_signed_in(who).await;
            for case in group {
                self.one(who, endpoint, case).await;
            }
        }
    }
}

fn refused(status: Option<u16>) -> bool {
    status.is_some_and(|s| s >= 400)
}

/// The fixture account that `auth/sign_in` is fuzzed with (its password is `PASSWORD`).
const SIGN_IN: &str = "fuzz-connexion@exemple.fr";

/// Every registered server function under /api, as (endpoint, method), sorted.
fn registered() -> Vec<(String, http::Method)> {
    let mut out: Vec<(String, http::Method)> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, method)| {
            (
                path.strip_prefix("/api/").unwrap_or(path).to_owned(),
                method,
            )
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out.dedup_by(|a, b| a.0 == b.0);
    out
}

async fn fixture(app: &TestApp) -> Fixture {
    use sea_orm::{ColumnTrait, QueryFilter};
    app.load_demo().await;
    let manager = app.user("gestion@coopole.example").await.id;
    let member = app.user("membre@coopole.example").await;
    let organisation = member.organisation_id.unwrap();
    let target_user = app
        .create_user("cible@exemple.fr", Role::Tenant, Some(organisation))
        .await;
    app.create_user(SIGN_IN, Role::Tenant, Some(organisation))
        .await;
    let space = app.space_id("SALLE-LOIRE").await;
    let hall = app.space_id("HALLE").await;
    let office = app.space_id("BUR-60").await;
    let date = next(Weekday::Tue, 7);
    let event_date = next(Weekday::Wed, 30);
    let tenant = app.client_for(member.id).await;
    let boss = app.client_for(manager).await;

    let res = app
        .call_with(
            &tenant,
            "bookings/create",
            &[
                ("space_id", &space.to_string()),
                ("date", &date.to_string()),
                ("start", "14:00"),
                ("end", "15:00"),
                ("title", "Point d'équipe"),
                ("attendees", "4"),
            ],
        )
        .await;
    let status = res.status();
    let body = json(res).await;
    assert_eq!(status, 200, "fixture booking: {body}");
    let booking = body["id"].as_i64().unwrap() as i32;

    let res = app
        .call_with(
            &tenant,
            "events/request",
            &[
                ("name", "Forum des associations"),
                ("kind", "fair"),
                ("first_date", &event_date.to_string()),
                ("start", "09:00"),
                ("end", "18:00"),
                ("attendance", "300"),
                ("spaces[]", &hall.to_string()),
                ("layouts[]", &format!("{hall}:theatre")),
                ("extras[]", "sound"),
            ],
        )
        .await;
    let status = res.status();
    let body = json(res).await;
    assert_eq!(status, 200, "fixture event: {body}");
    let event = body.as_i64().unwrap() as i32;
    let res = app
        .call_with(&boss, "events/draft", &[("id", &event.to_string())])
        .await;
    assert_eq!(
        res.status(),
        200,
        "fixture quote: {}",
        res.text().await.unwrap()
    );
    let line = event_quote_line::Entity::find()
        .order_by_asc(event_quote_line::Column::Id)
        .one(&app.db)
        .await
        .unwrap()
        .map_or(1, |l| l.id);

    let block_date = (date + Duration::days(1)).to_string();
    let res = app
        .call_with(
            &boss,
            "bookings/blocks/create",
            &[
                ("space_id", &space.to_string()),
                ("start_date", &block_date),
                ("start_time", "08:00"),
                ("end_date", &block_date),
                ("end_time", "09:00"),
                ("reason", "Ménage"),
            ],
        )
        .await;
    assert_eq!(
        res.status(),
        200,
        "fixture block: {}",
        res.text().await.unwrap()
    );
    let block = space_block::Entity::find()
        .filter(space_block::Column::SpaceId.eq(space))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .id;

    let res = app
        .call_with(&tenant, "feeds/create", &[("space_id", &space.to_string())])
        .await;
    assert_eq!(
        res.status(),
        200,
        "fixture feed: {}",
        res.text().await.unwrap()
    );
    let feed = feed_token::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .id;

    Fixture {
        organisation,
        space,
        hall,
        office,
        booking,
        event,
        block,
        feed,
        line,
        target_user,
        manager,
        tenant: member.id,
        date,
        event_date,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_server_function_refuses_malformed_input_cleanly() {
    let started = Instant::now();
    let app = spawn_app_with(AppConfig {
        trusted_proxies: vec![IpNet::parse("127.0.0.1").unwrap()],
        ..AppConfig::default()
    })
    .await;
    let mut failures: Vec<String> = Vec::new();

    // The registry, filled by linking the app: an empty or partial one fails here.
    let endpoints = registered();
    assert!(
        endpoints.len() >= AT_LEAST,
        "the server_fn registry lists {} functions, expected at least {AT_LEAST}: {:?}",
        endpoints.len(),
        endpoints
    );
    let table: BTreeMap<&str, &[(&str, Kind)]> = FIELDS.iter().copied().collect();
    for (endpoint, _) in &endpoints {
        if !table.contains_key(endpoint.as_str()) {
            failures.push(format!(
                "{endpoint}: a server function missing from FIELDS in fuzz.rs (fuzzed with generic fields)"
            ));
        }
    }
    for name in table.keys() {
        if !endpoints.iter().any(|(e, _)| e == name) {
            failures.push(format!("{name}: in FIELDS but no longer registered"));
        }
    }
    // The digest covers every table, or a refused request could hide its writes.
    let digested: BTreeSet<String> = digest(&app.db)
        .await
        .keys()
        .map(|k| (*k).to_owned())
        .collect();
    let in_database = database_tables(&app.db).await;
    for table in in_database.difference(&digested) {
        failures.push(format!("table {table}: not in the fuzz's digest"));
    }

    let fx = fixture(&app).await;
    let mut tokens = BTreeMap::new();
    for (who, id) in [(Who::Manager, fx.manager), (Who::Tenant, fx.tenant)] {
        let token = coopole_app::auth::service::create_session(&app.db, id, chrono::Utc::now(), 1)
            .await
            .unwrap();
        tokens.insert(who, token);
    }
    let setup = started.elapsed();
    let mut fuzz = Fuzz {
        origin: format!("http://{}", app.addr),
        app,
        fx,
        http: reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(60))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
        tokens,
        requests: 0,
        emails: 0,
        failures: BTreeMap::new(),
        accepted: 0,
        replays: 0,
        statuses: BTreeMap::new(),
        digesting: std::time::Duration::ZERO,
        last: None,
        log: std::env::var_os("COOPOLE_FUZZ_LOG").is_some(),
        timing: BTreeMap::new(),
    };

    for (endpoint, method) in &endpoints {
        if *method != http::Method::POST {
            failures.push(format!(
                "{endpoint}: {method}, not POST; fuzzed as POST anyway"
            ));
        }
        let fields = table.get(endpoint.as_str()).copied().unwrap_or(GENERIC);
        // The public forms as a visitor and as a signed-in member; the rest as a manager and
        // as a member. (A manager on the public forms adds a third of the run's time and
        // reaches no code that the member does not.)
        let actors = if ANONYMOUS.contains(&endpoint.as_str()) {
            [Who::Anonymous, Who::Tenant]
        } else {
            [Who::Manager, Who::Tenant]
        };
        let t = Instant::now();
        for who in actors {
            fuzz.batch(who, endpoint, Fuzz::body_cases()).await;
            for i in 0..fields.len() {
                let cases = fuzz.field_cases(endpoint, fields, i);
                fuzz.batch(who, endpoint, cases).await;
            }
        }
        fuzz.timing.insert(endpoint.clone(), t.elapsed());
    }
    let mut slowest: Vec<_> = fuzz.timing.iter().collect();
    slowest.sort_by(|a, b| b.1.cmp(a.1));
    eprintln!("slowest: {:?}", &slowest[..slowest.len().min(8)]);

    let backend = if postgres_url().is_some() {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    eprintln!(
        "fuzz on {backend}: {} endpoints, {} requests, {} batches with an accepted request, {} replayed; answers {:?}; digests {:.1} s; setup {:.1} s, total {:.1} s",
        endpoints.len(),
        fuzz.requests,
        fuzz.accepted,
        fuzz.replays,
        fuzz.statuses,
        fuzz.digesting.as_secs_f64(),
        setup.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
    failures.extend(fuzz.failures.iter().map(|(k, v)| format!("{k}: {v}")));
    assert!(
        failures.is_empty(),
        "{} failures on {backend}:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The digest sees a write to any table: without this, the fuzz could pass by seeing nothing.
#[tokio::test]
async fn the_digest_sees_a_write() {
    let app = spawn_app().await;
    let before = digest(&app.db).await;
    assert!(changes(&before, &digest(&app.db).await, &[]).is_empty());
    app.create_user("vu@exemple.fr", Role::Tenant, None).await;
    let after = digest(&app.db).await;
    let seen = changes(&before, &after, &[]);
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert!(seen[0].starts_with("users: 0 rows -> 1"), "{seen:?}");
    assert!(changes(&before, &after, &["users"]).is_empty());
}
