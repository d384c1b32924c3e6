//! The demo hub (`seed --demo`), read from `demo/hub.json`. Idempotent: whatever is already
//! there (matched by organisation name, space code or e-mail) is left as it is.
//!
//! [`seed_activity`] then adds a month of life dated around the day it runs (bookings, a
//! series, blocks, events at every stage), made through the booking and event services so
//! that occupancy, prices, charges, histories and payments are what the hub itself writes.
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc, Weekday};
use coopole_app::auth::model::{Password, Role};
use coopole_app::auth::service::hash_for_seed;
use coopole_app::bookings::model::{LocalSlot, Scope, parse_opening_day, parse_time};
use coopole_app::bookings::rules::{Recurrence, SeriesEnd, paris_to_utc, paris_today, weekday_bit};
use coopole_app::bookings::service::{self as bookings, Actor, NewBooking, add_days};
use coopole_app::db::begin_write;
use coopole_app::entities::{
    booking, event, event_extra_rate, organisation, space, space_block, space_booking_rule,
    space_equipment, space_opening_hour, space_rate, user,
};
use coopole_app::events::model::{EventKind, EventRequest, Extra, Layout};
use coopole_app::events::rules::Line;
use coopole_app::events::service::{self as events, EventError, EventTerms, Requester};
use coopole_app::i18n::Locale;
use coopole_app::labels;
use coopole_app::organisations::model::{LegalForm, Sector, Tier};
use coopole_app::spaces::model::{Equipment, RateUnit, SpaceKind};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, QueryOrder, Set,
};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap, HashSet};

mod applications;
mod billing;

const HUB_JSON: &str = include_str!("../demo/hub.json");

#[derive(Debug, Deserialize)]
struct Hub {
    password: String,
    vat_rate_bp: i32,
    tier_discount_percent: BTreeMap<Tier, i64>,
    organisations: Vec<Org>,
    accounts: Vec<Account>,
    first_names: Vec<String>,
    last_names: Vec<String>,
    spaces: Vec<SpaceSpec>,
    series: Vec<Series>,
    included_room_hours_per_month: BTreeMap<Tier, i32>,
    unit_prices: UnitPrices,
    booking_defaults: BookingSpec,
    /// Event extras' prices per day, excluding VAT, in cents.
    event_extras: BTreeMap<String, i64>,
    activity: Activity,
}

/// Monthly list prices of leasable units for outside organisations, excluding VAT, in cents.
#[derive(Debug, Deserialize)]
struct UnitPrices {
    office_per_m2_cents: i64,
    desk_cents: i64,
    storage_per_m2_cents: i64,
    office_vat_rate_bp: i32,
    desk_vat_rate_bp: i32,
    storage_vat_rate_bp: i32,
}

/// Booking rules in the demo file; a space's entry overrides the defaults it names.
#[derive(Debug, Clone, Default, Deserialize)]
struct BookingSpec {
    min_minutes: Option<i32>,
    max_minutes: Option<i32>,
    buffer_minutes: Option<i32>,
    min_notice_minutes: Option<i32>,
    tenant_max_advance_days: Option<i32>,
    manager_max_advance_days: Option<i32>,
    cancel_deadline_hours: Option<i32>,
    requires_approval: Option<bool>,
    uses_included_hours: Option<bool>,
    opening_hours: Option<Vec<String>>,
}

impl BookingSpec {
    fn over(&self, defaults: &BookingSpec) -> BookingSpec {
        BookingSpec {
            min_minutes: self.min_minutes.or(defaults.min_minutes),
            max_minutes: self.max_minutes.or(defaults.max_minutes),
            buffer_minutes: self.buffer_minutes.or(defaults.buffer_minutes),
            min_notice_minutes: self.min_notice_minutes.or(defaults.min_notice_minutes),
            tenant_max_advance_days: self
                .tenant_max_advance_days
                .or(defaults.tenant_max_advance_days),
            manager_max_advance_days: self
                .manager_max_advance_days
                .or(defaults.manager_max_advance_days),
            cancel_deadline_hours: self
                .cancel_deadline_hours
                .or(defaults.cancel_deadline_hours),
            requires_approval: self.requires_approval.or(defaults.requires_approval),
            uses_included_hours: self.uses_included_hours.or(defaults.uses_included_hours),
            opening_hours: self
                .opening_hours
                .clone()
                .or_else(|| defaults.opening_hours.clone()),
        }
    }
}

#[derive(Debug, Deserialize)]
struct Org {
    name: String,
    legal_form: LegalForm,
    sector: Sector,
    headcount: i32,
    tier: Tier,
    address: String,
    founded_year: Option<i32>,
    #[serde(default)]
    esus: bool,
}

#[derive(Debug, Deserialize)]
struct Account {
    email: String,
    name: String,
    role: Role,
    organisation: Option<String>,
    referent: bool,
}

#[derive(Debug, Deserialize)]
struct SpaceSpec {
    code: String,
    name: String,
    kind: SpaceKind,
    area_m2: i32,
    capacity: i32,
    #[serde(default)]
    parent: Option<String>,
    bookable: bool,
    #[serde(default)]
    description: String,
    #[serde(default)]
    equipment: Vec<Equipment>,
    /// Outside-organisation prices excluding VAT, in cents.
    #[serde(default)]
    rates: BTreeMap<RateUnit, i64>,
    #[serde(default)]
    booking: BookingSpec,
}

#[derive(Debug, Deserialize)]
struct Series {
    code_prefix: String,
    name_prefix: String,
    kind: SpaceKind,
    equipment: Vec<Equipment>,
    groups: Vec<Group>,
}

#[derive(Debug, Deserialize)]
struct Group {
    count: u32,
    area_m2: i32,
    capacity: i32,
}

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("demo/hub.json is not valid: {0}")]
    Data(#[from] serde_json::Error),
    #[error("demo/hub.json: {0}")]
    Inconsistent(String),
    #[error(transparent)]
    Db(#[from] DbErr),
    #[error("demo billing: {0}")]
    Billing(#[from] coopole_app::billing::service::BillingError),
}

/// What a seed run added.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct SeedReport {
    pub organisations: usize,
    pub spaces: usize,
    pub users: usize,
    pub leases: usize,
    pub applications: usize,
}

impl std::fmt::Display for SeedReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "demo data: {} organisations, {} spaces, {} users, {} leases and {} applications added (what already existed was kept)",
            self.organisations, self.spaces, self.users, self.leases, self.applications
        )
    }
}

/// Every space of the demo, the series unrolled ("Bureau 01" … "Bureau 60").
fn all_spaces(hub: &Hub) -> Vec<SpaceSpec> {
    let mut out: Vec<SpaceSpec> = Vec::new();
    for s in &hub.series {
        let mut n = 0;
        for g in &s.groups {
            for _ in 0..g.count {
                n += 1;
                out.push(SpaceSpec {
                    code: format!("{}-{n:02}", s.code_prefix),
                    name: format!("{} {n:02}", s.name_prefix),
                    kind: s.kind,
                    area_m2: g.area_m2,
                    capacity: g.capacity,
                    parent: None,
                    bookable: false,
                    description: String::new(),
                    equipment: s.equipment.clone(),
                    rates: BTreeMap::new(),
                    booking: BookingSpec::default(),
                });
            }
        }
    }
    // Named spaces first: the hall must exist before its halves.
    let mut named: Vec<SpaceSpec> = hub
        .spaces
        .iter()
        .map(|s| SpaceSpec {
            code: s.code.clone(),
            name: s.name.clone(),
            kind: s.kind,
            area_m2: s.area_m2,
            capacity: s.capacity,
            parent: s.parent.clone(),
            bookable: s.bookable,
            description: s.description.clone(),
            equipment: s.equipment.clone(),
            rates: s.rates.clone(),
            booking: s.booking.clone(),
        })
        .collect();
    named.append(&mut out);
    named
}

/// Lower-case ASCII for e-mail addresses: "Léa" → "lea", "Coop'Activités" → "coop-activites".
fn ascii_slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        let folded = match c {
            'à' | 'â' | 'ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' => 'i',
            'ô' | 'ö' => 'o',
            'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            c if c.is_ascii_alphanumeric() => c,
            _ => '-',
        };
        if folded != '-' || !out.ends_with('-') {
            out.push(folded);
        }
    }
    out.trim_matches('-').to_owned()
}

/// A price after the tier's discount, rounded to the cent.
fn tier_price(outside_cents: i64, discount_percent: i64) -> i64 {
    (outside_cents * (100 - discount_percent) + 50) / 100
}

pub async fn seed(db: &DatabaseConnection) -> Result<SeedReport, DemoError> {
    let hub: Hub = serde_json::from_str(HUB_JSON)?;
    let password = Password::parse(&hub.password).map_err(|e| {
        DemoError::Inconsistent(format!("the demo password is refused by the policy: {e:?}"))
    })?;
    // One hash for every demo account: they share the demo password anyway.
    let password_hash = hash_for_seed(&password)
        .await
        .map_err(|e| DemoError::Inconsistent(e.to_string()))?;
    let now = Utc::now();
    let mut report = SeedReport::default();

    let txn = begin_write(db).await?;

    let mut org_ids: HashMap<String, i32> = HashMap::new();
    for o in &hub.organisations {
        let existing = organisation::Entity::find()
            .filter(organisation::Column::Name.eq(&o.name))
            .one(&txn)
            .await?;
        let id = match existing {
            Some(row) => row.id,
            None => {
                report.organisations += 1;
                organisation::ActiveModel {
                    name: Set(o.name.clone()),
                    legal_form: Set(o.legal_form),
                    sector: Set(o.sector),
                    headcount: Set(o.headcount),
                    tier: Set(o.tier),
                    siret: Set(None),
                    address: Set(Some(o.address.clone())),
                    created_at: Set(now),
                    included_room_minutes: Set(hub
                        .included_room_hours_per_month
                        .get(&o.tier)
                        .copied()
                        .unwrap_or(0)
                        * 60),
                    // Residents show their meeting titles on the door displays; others do not.
                    show_titles_on_displays: Set(o.tier == Tier::Resident),
                    founded_year: Set(o.founded_year),
                    esus: Set(o.esus),
                    ..Default::default()
                }
                .insert(&txn)
                .await?
                .id
            }
        };
        org_ids.insert(o.name.clone(), id);
    }

    let mut space_ids: HashMap<String, i32> = HashMap::new();
    for s in all_spaces(&hub) {
        if let Some(row) = space::Entity::find()
            .filter(space::Column::Code.eq(&s.code))
            .one(&txn)
            .await?
        {
            space_ids.insert(s.code.clone(), row.id);
            if row.bookable {
                seed_booking_rules(&txn, row.id, &s.booking.over(&hub.booking_defaults)).await?;
            }
            continue;
        }
        let parent_id = match &s.parent {
            Some(code) => Some(*space_ids.get(code).ok_or_else(|| {
                DemoError::Inconsistent(format!("{} is part of unknown space {code}", s.code))
            })?),
            None => None,
        };
        report.spaces += 1;
        let id = space::ActiveModel {
            code: Set(s.code.clone()),
            name: Set(s.name.clone()),
            kind: Set(s.kind),
            area_m2: Set(s.area_m2),
            capacity: Set(s.capacity),
            parent_id: Set(parent_id),
            description: Set(s.description.clone()),
            bookable: Set(s.bookable),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?
        .id;
        space_ids.insert(s.code.clone(), id);
        for item in &s.equipment {
            space_equipment::ActiveModel {
                space_id: Set(id),
                equipment: Set(*item),
            }
            .insert(&txn)
            .await?;
        }
        if s.bookable {
            seed_booking_rules(&txn, id, &s.booking.over(&hub.booking_defaults)).await?;
        }
        for (unit, outside) in &s.rates {
            for (tier, discount) in &hub.tier_discount_percent {
                space_rate::ActiveModel {
                    space_id: Set(id),
                    tier: Set(*tier),
                    unit: Set(*unit),
                    amount_cents: Set(tier_price(*outside, *discount)),
                    vat_rate_bp: Set(hub.vat_rate_bp),
                    ..Default::default()
                }
                .insert(&txn)
                .await?;
            }
        }
    }

    for (code, cents) in &hub.event_extras {
        if Extra::from_code(code).is_none() {
            return Err(DemoError::Inconsistent(format!(
                "unknown event extra {code}"
            )));
        }
        if event_extra_rate::Entity::find_by_id(code.clone())
            .one(&txn)
            .await?
            .is_none()
        {
            event_extra_rate::ActiveModel {
                code: Set(code.clone()),
                amount_cents: Set(*cents),
                vat_bp: Set(hub.vat_rate_bp),
            }
            .insert(&txn)
            .await?;
        }
    }

    let mut people = Vec::new();
    for a in &hub.accounts {
        let org = match &a.organisation {
            Some(name) => Some(*org_ids.get(name).ok_or_else(|| {
                DemoError::Inconsistent(format!("{} belongs to unknown {name}", a.email))
            })?),
            None => None,
        };
        people.push((a.email.clone(), a.name.clone(), a.role, org, a.referent));
    }
    // Members of the hosted and network organisations: one for every five staff, one to four.
    let mut n = 0usize;
    for o in hub.organisations.iter().filter(|o| o.tier != Tier::Outside) {
        let Some(&org_id) = org_ids.get(&o.name) else {
            continue;
        };
        let has_demo_referent = hub
            .accounts
            .iter()
            .any(|a| a.referent && a.organisation.as_deref() == Some(&o.name));
        let members = (o.headcount / 5).clamp(1, 4);
        for i in 0..members {
            let first = &hub.first_names[n % hub.first_names.len()];
            let last = &hub.last_names[(n * 7 + 3) % hub.last_names.len()];
            n += 1;
            let email = format!(
                "{}.{}@{}.example",
                ascii_slug(first),
                ascii_slug(last),
                ascii_slug(&o.name)
            );
            let referent = i == 0 && !has_demo_referent && o.tier == Tier::Resident;
            people.push((
                email,
                format!("{first} {last}"),
                Role::Tenant,
                Some(org_id),
                referent,
            ));
        }
    }

    for (email, name, role, org, referent) in people {
        if user::Entity::find()
            .filter(user::Column::Email.eq(&email))
            .one(&txn)
            .await?
            .is_some()
        {
            continue;
        }
        // A referent chosen since the last seed keeps the role.
        let referent = referent && !has_referent(&txn, org).await?;
        report.users += 1;
        user::ActiveModel {
            email: Set(email),
            name: Set(name),
            password_hash: Set(password_hash.clone()),
            role: Set(role),
            organisation_id: Set(org),
            is_referent: Set(referent),
            created_at: Set(now),
            password_changed_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }

    txn.commit().await?;
    report.leases = seed_leases(db, &hub, now).await?;
    applications::seed_layouts(db).await?;
    report.applications = applications::seed(db, now).await?;
    Ok(report)
}

/// The leasable units' list prices, for units without any, and, on a hub without leases, one
/// lease per resident organisation: offices by headcount, a desk or two for the smallest, a
/// storage unit for the reuse and repair trades. Made through the hosting service, so the
/// demo's leases obey the rule that no unit is let twice.
async fn seed_leases(
    db: &DatabaseConnection,
    hub: &Hub,
    now: DateTime<Utc>,
) -> Result<usize, DemoError> {
    use coopole_app::entities::{lease, unit_price};
    use coopole_app::hosting::model::{NewLease, UnitTerm};
    use coopole_app::hosting::service as hosting;
    let p = &hub.unit_prices;
    let units = space::Entity::find()
        .filter(space::Column::Kind.is_in(hosting::LEASABLE))
        .order_by_asc(space::Column::Code)
        .all(db)
        .await?;
    let priced: HashSet<i32> = unit_price::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|p| p.space_id)
        .collect();
    for u in units.iter().filter(|u| !priced.contains(&u.id)) {
        let area = i64::from(u.area_m2);
        let (outside, vat) = match u.kind {
            SpaceKind::Office => (p.office_per_m2_cents * area, p.office_vat_rate_bp),
            SpaceKind::Desk => (p.desk_cents, p.desk_vat_rate_bp),
            _ => (p.storage_per_m2_cents * area, p.storage_vat_rate_bp),
        };
        for (tier, discount) in &hub.tier_discount_percent {
            unit_price::ActiveModel {
                space_id: Set(u.id),
                tier: Set(*tier),
                monthly_cents: Set(tier_price(outside, *discount)),
                vat_rate_bp: Set(vat),
                ..Default::default()
            }
            .insert(db)
            .await?;
        }
    }
    if lease::Entity::find().one(db).await?.is_some() {
        return Ok(0);
    }
    let manager = user::Entity::find()
        .filter(user::Column::Role.eq(Role::Manager))
        .order_by_asc(user::Column::Id)
        .one(db)
        .await?
        .ok_or_else(|| DemoError::Inconsistent("no manager to sign the leases".into()))?;
    let of_kind = |kind: SpaceKind| -> Vec<i32> {
        units
            .iter()
            .filter(|u| u.kind == kind)
            .map(|u| u.id)
            .collect()
    };
    let (mut offices, mut desks, mut storage) = (
        of_kind(SpaceKind::Office).into_iter(),
        of_kind(SpaceKind::Desk).into_iter(),
        of_kind(SpaceKind::Storage).into_iter(),
    );
    let today = paris_today(now);
    let first_of_month = NaiveDate::from_ymd_opt(today.year(), today.month(), 1)
        .ok_or_else(|| DemoError::Inconsistent("no first day of this month".into()))?;
    let mut made = 0;
    let residents = hub
        .organisations
        .iter()
        .filter(|o| o.tier == Tier::Resident);
    for (i, o) in residents.enumerate() {
        let Some(org) = organisation::Entity::find()
            .filter(organisation::Column::Name.eq(&o.name))
            .one(db)
            .await?
        else {
            continue;
        };
        let mut chosen: Vec<Option<i32>> = match o.headcount {
            ..=4 => vec![desks.next(), desks.next()],
            5..=9 => vec![offices.next()],
            10..=19 => vec![offices.next(), offices.next()],
            _ => vec![offices.next(), offices.next(), offices.next()],
        };
        if matches!(o.sector, Sector::ReuseWaste | Sector::EcoConstruction) {
            chosen.push(storage.next());
        }
        let mut terms: Vec<UnitTerm> = chosen
            .into_iter()
            .flatten()
            .map(|space_id| UnitTerm {
                space_id,
                fee_cents: None,
                discount_reason: None,
            })
            .collect();
        if terms.is_empty() {
            continue;
        }
        // A young organisation's first office at a discount, with its reason.
        if i == 7 {
            terms[0].discount_reason =
                Some("Première année au pôle : remise de 20 % de la convention d'amorçage".into());
            if let Some(price) = unit_price::Entity::find()
                .filter(unit_price::Column::SpaceId.eq(terms[0].space_id))
                .filter(unit_price::Column::Tier.eq(org.tier))
                .one(db)
                .await?
            {
                terms[0].fee_cents = Some(price.monthly_cents * 8 / 10);
            }
        }
        // Leases signed over the past years, on the first of a month; one runs for a fixed term.
        let months_ago = u32::try_from(3 + (i * 5) % 46).unwrap_or(3);
        let starts_on = first_of_month
            .checked_sub_months(chrono::Months::new(months_ago))
            .unwrap_or(first_of_month);
        let ends_on = (i == 3).then(|| {
            first_of_month
                .checked_add_months(chrono::Months::new(9))
                .and_then(|d| d.pred_opt())
                .unwrap_or(first_of_month)
        });
        let new = NewLease {
            organisation_id: org.id,
            starts_on,
            ends_on,
            notice_months: 3,
            deposit_cents: None,
            included_room_minutes: org.included_room_minutes,
            billing_day: 1,
            units: terms,
            application_id: None,
        };
        let id = hosting::create_lease(db, manager.id, &new, now)
            .await
            .map_err(|e| step_failed(format!("the lease of {}", o.name), e))?;
        // One organisation gave notice three weeks ago: its units free up at a month's end.
        if i == 5 {
            let given_on = today - chrono::Days::new(21);
            hosting::give_notice(db, id, manager.id, given_on)
                .await
                .map_err(|e| step_failed(format!("the notice of {}", o.name), e))?;
        }
        // Another took a storage unit two months ago, by amendment: its history has two versions.
        if i == 9
            && months_ago > 2
            && let Some(extra) = storage.next()
        {
            let from = first_of_month
                .checked_sub_months(chrono::Months::new(2))
                .unwrap_or(first_of_month);
            let mut units = new.units.clone();
            units.push(UnitTerm {
                space_id: extra,
                fee_cents: None,
                discount_reason: None,
            });
            let amendment = coopole_app::hosting::model::Amendment {
                effective_from: from,
                units,
                reason: "Un stockage en plus pour le matériel des ateliers".into(),
            };
            hosting::amend_lease(db, id, manager.id, &amendment, from, now)
                .await
                .map_err(|e| step_failed(format!("the amendment of {}", o.name), e))?;
        }
        made += 1;
    }
    made += seed_past_lease(db, hub, manager.id, offices.next(), now).await?;
    // The organisations with a lease in force are residents; the others keep their tier.
    hosting::sync_tiers(db, today).await?;
    Ok(made)
}

/// A lease of the past, for the history: a network organisation that held an office for two
/// years and left early, by agreement, three months ago.
async fn seed_past_lease(
    db: &DatabaseConnection,
    hub: &Hub,
    manager: i32,
    office: Option<i32>,
    now: DateTime<Utc>,
) -> Result<usize, DemoError> {
    use coopole_app::hosting::model::{EarlyEnd, NewLease, UnitTerm};
    use coopole_app::hosting::service as hosting;
    let Some(office) = office else {
        return Ok(0);
    };
    let Some(name) = hub
        .organisations
        .iter()
        .find(|o| o.tier == Tier::Network)
        .map(|o| o.name.clone())
    else {
        return Ok(0);
    };
    let Some(org) = organisation::Entity::find()
        .filter(organisation::Column::Name.eq(&name))
        .one(db)
        .await?
    else {
        return Ok(0);
    };
    let today = paris_today(now);
    let month = |back: u32| {
        NaiveDate::from_ymd_opt(today.year(), today.month(), 1)
            .and_then(|d| d.checked_sub_months(chrono::Months::new(back)))
            .ok_or_else(|| DemoError::Inconsistent("no such month".into()))
    };
    let (starts_on, left) = (month(27)?, month(3)?);
    let new = NewLease {
        organisation_id: org.id,
        starts_on,
        ends_on: None,
        notice_months: 3,
        deposit_cents: None,
        included_room_minutes: 600,
        billing_day: 1,
        units: vec![UnitTerm {
            space_id: office,
            fee_cents: None,
            discount_reason: None,
        }],
        application_id: None,
    };
    let id = hosting::create_lease(db, manager, &new, now)
        .await
        .map_err(|e| step_failed(format!("the past lease of {name}"), e))?;
    let end = EarlyEnd {
        ends_on: left.pred_opt().unwrap_or(left),
        reason: "Départ vers un local plus grand à Rezé, d'un commun accord".into(),
    };
    hosting::end_early(db, id, &end, end.ends_on)
        .await
        .map_err(|e| step_failed(format!("the early end of {name}"), e))?;
    Ok(1)
}

/// A bookable space's rules and opening hours, unless it has some already.
async fn seed_booking_rules(
    db: &impl ConnectionTrait,
    space_id: i32,
    spec: &BookingSpec,
) -> Result<(), DemoError> {
    if space_booking_rule::Entity::find_by_id(space_id)
        .one(db)
        .await?
        .is_none()
    {
        let missing =
            |what: &str| DemoError::Inconsistent(format!("booking_defaults lacks {what}"));
        space_booking_rule::ActiveModel {
            space_id: Set(space_id),
            min_minutes: Set(spec.min_minutes.ok_or_else(|| missing("min_minutes"))?),
            max_minutes: Set(spec.max_minutes.ok_or_else(|| missing("max_minutes"))?),
            buffer_minutes: Set(spec
                .buffer_minutes
                .ok_or_else(|| missing("buffer_minutes"))?),
            min_notice_minutes: Set(spec
                .min_notice_minutes
                .ok_or_else(|| missing("min_notice_minutes"))?),
            tenant_max_advance_days: Set(spec
                .tenant_max_advance_days
                .ok_or_else(|| missing("tenant_max_advance_days"))?),
            manager_max_advance_days: Set(spec
                .manager_max_advance_days
                .ok_or_else(|| missing("manager_max_advance_days"))?),
            cancel_deadline_hours: Set(spec
                .cancel_deadline_hours
                .ok_or_else(|| missing("cancel_deadline_hours"))?),
            requires_approval: Set(spec
                .requires_approval
                .ok_or_else(|| missing("requires_approval"))?),
            uses_included_hours: Set(spec
                .uses_included_hours
                .ok_or_else(|| missing("uses_included_hours"))?),
        }
        .insert(db)
        .await?;
    }
    let has_hours = space_opening_hour::Entity::find()
        .filter(space_opening_hour::Column::SpaceId.eq(space_id))
        .one(db)
        .await?
        .is_some();
    if !has_hours {
        for (day, line) in spec.opening_hours.iter().flatten().enumerate() {
            let intervals = parse_opening_day(line, day).map_err(|_| {
                DemoError::Inconsistent(format!("opening hours {line:?} of space {space_id}"))
            })?;
            for (open, close) in intervals {
                space_opening_hour::ActiveModel {
                    space_id: Set(space_id),
                    weekday: Set(i16::try_from(day).unwrap_or(0)),
                    opens_minute: Set(i32::try_from(open).unwrap_or(0)),
                    closes_minute: Set(i32::try_from(close).unwrap_or(0)),
                    ..Default::default()
                }
                .insert(db)
                .await?;
            }
        }
    }
    Ok(())
}

/// Whether the hub has no spaces yet (a database just created).
pub async fn is_empty(db: &DatabaseConnection) -> Result<bool, DbErr> {
    use sea_orm::PaginatorTrait;
    Ok(space::Entity::find().count(db).await? == 0)
}

async fn has_referent(db: &impl ConnectionTrait, org: Option<i32>) -> Result<bool, DbErr> {
    let Some(org) = org else { return Ok(false) };
    Ok(user::Entity::find()
        .filter(user::Column::OrganisationId.eq(org))
        .filter(user::Column::IsReferent.eq(true))
        .one(db)
        .await?
        .is_some())
}

// ---------------------------------------------------------------------------------------------
// Activity: what the hub looks like after a few weeks of use.

#[derive(Debug, Deserialize)]
struct Activity {
    /// The rotation runs from this many working days ago to this many ahead.
    window_workdays: i64,
    rotation: Vec<Rotation>,
    door: Vec<DoorRoom>,
    blocks: Vec<BlockSpec>,
    bookings: Vec<OneBooking>,
    series: Vec<SeriesSpec>,
    events: Vec<EventSpec>,
}

/// One slot of a room booked every working day, by each booker in turn.
#[derive(Debug, Deserialize)]
struct Rotation {
    space: String,
    from: String,
    until: String,
    attendees: u32,
    bookers: Vec<Booker>,
}

#[derive(Debug, Deserialize)]
struct Booker {
    organisation: String,
    title: String,
}

/// A room whose door display shows a booking all through the working day.
#[derive(Debug, Deserialize)]
struct DoorRoom {
    space: String,
    slots: Vec<DoorSlot>,
}

#[derive(Debug, Deserialize)]
struct DoorSlot {
    from: String,
    until: String,
    organisation: String,
    title: String,
    attendees: u32,
}

#[derive(Debug, Deserialize)]
struct BlockSpec {
    space: String,
    workday: i64,
    from: String,
    until: String,
    reason: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Then {
    Approve,
    Cancel,
}

#[derive(Debug, Deserialize)]
struct OneBooking {
    #[serde(default)]
    by: Option<String>,
    #[serde(default)]
    organisation: Option<String>,
    space: String,
    workday: i64,
    from: String,
    until: String,
    title: String,
    attendees: u32,
    #[serde(default)]
    then: Option<Then>,
}

#[derive(Debug, Deserialize)]
struct SeriesSpec {
    by: String,
    space: String,
    weekday: String,
    from: String,
    until: String,
    title: String,
    attendees: u32,
    first_workday: i64,
    last_workday: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Stage {
    Request,
    Quoted,
    Option,
    Confirmed,
    Done,
}

#[derive(Debug, Deserialize)]
struct ExtraLine {
    description: String,
    quantity: i64,
    unit_cents: i64,
}

#[derive(Debug, Deserialize)]
struct EventSpec {
    name: String,
    kind: EventKind,
    by: String,
    spaces: Vec<(String, Layout)>,
    /// Calendar days from today.
    day: i64,
    from: String,
    until: String,
    attendance: u32,
    setup_hours: u32,
    teardown_hours: u32,
    #[serde(default)]
    extras: Vec<String>,
    #[serde(default)]
    extra_lines: Vec<ExtraLine>,
    #[serde(default)]
    catering: String,
    #[serde(default)]
    catering_covers: u32,
    #[serde(default)]
    notes: String,
    asked_days_ago: i64,
    stage: Stage,
    /// Options: held until the end of this day (calendar days from today).
    #[serde(default)]
    option_until_day: Option<i64>,
}

/// What an activity run added.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ActivityReport {
    pub bookings: usize,
    pub blocks: usize,
    pub events: usize,
    /// Billing runs made: this month's issued, next month's a draft.
    pub billing_runs: usize,
}

impl std::fmt::Display for ActivityReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if *self == ActivityReport::default() {
            return write!(f, "demo activity: already there, nothing added");
        }
        write!(
            f,
            "demo activity: {} bookings, {} blocks, {} events and {} billing runs added around today",
            self.bookings, self.blocks, self.events, self.billing_runs
        )
    }
}

fn step_failed(what: impl Into<String>, error: impl std::fmt::Debug) -> DemoError {
    DemoError::Inconsistent(format!("activity, {}: {error:?}", what.into()))
}

fn minute(raw: &str) -> Result<u32, DemoError> {
    parse_time(raw, "time").map_err(|_| DemoError::Inconsistent(format!("time {raw:?}")))
}

fn is_workday(d: NaiveDate) -> bool {
    d.weekday().num_days_from_monday() < 5
}

/// The `n`-th working day from `today`: 0 is today, or the next working day on a weekend;
/// a negative `n` counts back from today.
fn workday(today: NaiveDate, n: i64) -> NaiveDate {
    let step = if n < 0 { -1 } else { 1 };
    let mut d = today;
    while n >= 0 && !is_workday(d) {
        d = add_days(d, 1);
    }
    for _ in 0..n.abs() {
        d = add_days(d, step);
        while !is_workday(d) {
            d = add_days(d, step);
        }
    }
    d
}

/// When a booking is made: three days before it starts, or two hours ago if that is earlier.
/// Services refuse slots in the past, so the past is booked from further in the past.
fn booked_at(start: DateTime<Utc>, now: DateTime<Utc>) -> DateTime<Utc> {
    (start - Duration::days(3)).min(now - Duration::hours(2))
}

/// What the activity needs to know about the hub.
struct Places {
    spaces: HashMap<String, i32>,
    /// Organisation name → its id and the member who books for it (its referent first).
    organisations: HashMap<String, (i32, Option<Actor>)>,
    /// Named accounts by e-mail.
    accounts: HashMap<String, (Actor, Option<i32>, Tier)>,
}

impl Places {
    fn space(&self, code: &str) -> Result<i32, DemoError> {
        self.spaces
            .get(code)
            .copied()
            .ok_or_else(|| DemoError::Inconsistent(format!("activity: unknown space {code}")))
    }

    fn account(&self, email: &str) -> Result<&(Actor, Option<i32>, Tier), DemoError> {
        self.accounts
            .get(email)
            .ok_or_else(|| DemoError::Inconsistent(format!("activity: unknown account {email}")))
    }

    fn organisation(&self, name: &str) -> Result<(i32, Option<Actor>), DemoError> {
        self.organisations.get(name).copied().ok_or_else(|| {
            DemoError::Inconsistent(format!("activity: unknown organisation {name}"))
        })
    }

    /// Who books for an organisation, and for which organisation a manager books.
    fn member_of(&self, name: &str) -> Result<(Actor, Option<i32>), DemoError> {
        match self.organisation(name)? {
            (id, Some(member)) => Ok((member, Some(id))),
            (_, None) => Err(DemoError::Inconsistent(format!(
                "activity: {name} has no member to book"
            ))),
        }
    }
}

async fn places(db: &DatabaseConnection, hub: &Hub) -> Result<Places, DemoError> {
    let spaces = space::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.code, s.id))
        .collect();
    let orgs = organisation::Entity::find().all(db).await?;
    let tiers: HashMap<i32, Tier> = orgs.iter().map(|o| (o.id, o.tier)).collect();
    let mut organisations = HashMap::new();
    for o in &orgs {
        let member = user::Entity::find()
            .filter(user::Column::OrganisationId.eq(o.id))
            .filter(user::Column::Role.eq(Role::Tenant))
            .order_by_desc(user::Column::IsReferent)
            .order_by_asc(user::Column::Id)
            .one(db)
            .await?
            .map(|u| actor_of(&u));
        organisations.insert(o.name.clone(), (o.id, member));
    }
    let mut accounts = HashMap::new();
    for a in &hub.accounts {
        if let Some(u) = user::Entity::find()
            .filter(user::Column::Email.eq(&a.email))
            .one(db)
            .await?
        {
            let tier = u
                .organisation_id
                .and_then(|o| tiers.get(&o).copied())
                .unwrap_or(Tier::Outside);
            accounts.insert(a.email.clone(), (actor_of(&u), u.organisation_id, tier));
        }
    }
    Ok(Places {
        spaces,
        organisations,
        accounts,
    })
}

fn actor_of(u: &user::Model) -> Actor {
    Actor {
        user_id: u.id,
        role: u.role,
        organisation_id: u.organisation_id,
        is_referent: u.is_referent,
    }
}

/// The marker of the activity: anything booked, blocked or asked for by a named account.
/// Those accounts are the demo's own, so what they did is the demo's activity (or a visitor's
/// trying it out), and adding more on top could only clash with it.
async fn activity_exists(db: &DatabaseConnection, places: &Places) -> Result<bool, DbErr> {
    let ids: Vec<i32> = places
        .accounts
        .values()
        .map(|(a, _, _)| a.user_id)
        .collect();
    let booked = booking::Entity::find()
        .filter(booking::Column::BookedBy.is_in(ids.clone()))
        .one(db)
        .await?
        .is_some();
    let blocked = space_block::Entity::find()
        .filter(space_block::Column::CreatedBy.is_in(ids.clone()))
        .one(db)
        .await?
        .is_some();
    let asked = event::Entity::find()
        .filter(event::Column::OrganiserId.is_in(ids))
        .one(db)
        .await?
        .is_some();
    Ok(booked || blocked || asked)
}

/// Adds the demo activity, dated around `now`, unless it is there already (see
/// [`activity_exists`]). Run it after [`seed`]. Every write goes through the services, with
/// the `now` each step would have happened at.
pub async fn seed_activity(
    db: &DatabaseConnection,
    terms: &EventTerms,
    now: DateTime<Utc>,
) -> Result<ActivityReport, DemoError> {
    let hub: Hub = serde_json::from_str(HUB_JSON)?;
    let act = &hub.activity;
    let places = places(db, &hub).await?;
    let mut report = ActivityReport::default();
    if activity_exists(db, &places).await? {
        // Billing comes last and checks on its own, so a hub seeded before it gets its runs.
        report.billing_runs = billing::seed(db, now).await?;
        return Ok(report);
    }
    let manager = hub
        .accounts
        .iter()
        .find(|a| a.role == Role::Manager)
        .ok_or_else(|| DemoError::Inconsistent("activity: no manager account".into()))?;
    let manager = places.account(&manager.email)?.0;
    let today = paris_today(now);
    let at = |date: NaiveDate, minute: u32| {
        paris_to_utc(date, minute)
            .map_err(|_| DemoError::Inconsistent(format!("{date} {minute} is not a Paris time")))
    };

    // Blocks first: the rotation leaves their rooms alone on their days.
    let mut blocked: HashSet<(i32, NaiveDate)> = HashSet::new();
    for b in &act.blocks {
        let space_id = places.space(&b.space)?;
        let date = workday(today, b.workday);
        let span = (at(date, minute(&b.from)?)?, at(date, minute(&b.until)?)?);
        let made = (span.0 - Duration::days(7)).min(now - Duration::days(1));
        bookings::create_block(db, &manager, space_id, span, &b.reason, made)
            .await
            .map_err(|e| step_failed(format!("block {}", b.reason), e))?;
        blocked.insert((space_id, date));
        report.blocks += 1;
    }

    let book = |actor: Actor,
                org: Option<i32>,
                space_id: i32,
                slot: LocalSlot,
                title: &str,
                attendees: u32| {
        let req = NewBooking {
            space_id,
            organisation_id: org,
            slot,
            title: title.to_owned(),
            attendees,
            equipment: Vec::new(),
        };
        async move {
            let start = at(slot.date, slot.start_minute)?;
            let made = booked_at(start, now);
            bookings::create(db, &actor, &req, made)
                .await
                .map(|b| (b, made))
                .map_err(|e| step_failed(format!("booking {} on {}", req.title, slot.date), e))
        }
    };

    // Door displays: a full working day of bookings, today (or the next working day).
    let door_day = workday(today, 0);
    for room in &act.door {
        let space_id = places.space(&room.space)?;
        for s in &room.slots {
            let (member, org) = places.member_of(&s.organisation)?;
            let slot = LocalSlot {
                date: door_day,
                start_minute: minute(&s.from)?,
                end_minute: minute(&s.until)?,
            };
            book(member, org, space_id, slot, &s.title, s.attendees).await?;
            report.bookings += 1;
        }
    }

    // The rotation: everyday use across organisations, two weeks back and two ahead.
    for (i, n) in (-act.window_workdays..=act.window_workdays).enumerate() {
        let date = workday(today, n);
        for (k, r) in act.rotation.iter().enumerate() {
            let space_id = places.space(&r.space)?;
            if blocked.contains(&(space_id, date)) || r.bookers.is_empty() {
                continue;
            }
            let b = &r.bookers[(i + k) % r.bookers.len()];
            let (member, org) = places.member_of(&b.organisation)?;
            let slot = LocalSlot {
                date,
                start_minute: minute(&r.from)?,
                end_minute: minute(&r.until)?,
            };
            book(member, org, space_id, slot, &b.title, r.attendees).await?;
            report.bookings += 1;
        }
    }

    // The named accounts' own bookings, and what happened to them afterwards.
    for b in &act.bookings {
        let (actor, org) = match (&b.by, &b.organisation) {
            (Some(email), chosen) => {
                let (actor, own, _) = *places.account(email)?;
                let org = match chosen {
                    Some(name) => Some(places.organisation(name)?.0),
                    None => own,
                };
                (actor, org)
            }
            (None, Some(name)) => places.member_of(name)?,
            (None, None) => {
                return Err(DemoError::Inconsistent(format!(
                    "activity: nobody books {}",
                    b.title
                )));
            }
        };
        let slot = LocalSlot {
            date: workday(today, b.workday),
            start_minute: minute(&b.from)?,
            end_minute: minute(&b.until)?,
        };
        let (made, when) = book(
            actor,
            org,
            places.space(&b.space)?,
            slot,
            &b.title,
            b.attendees,
        )
        .await?;
        report.bookings += 1;
        let later = when + Duration::hours(1);
        match b.then {
            Some(Then::Approve) => {
                bookings::approve(db, &manager, made.id, later)
                    .await
                    .map_err(|e| step_failed(format!("approving {}", b.title), e))?;
            }
            Some(Then::Cancel) => {
                bookings::cancel(db, &actor, made.id, Scope::This, later)
                    .await
                    .map_err(|e| step_failed(format!("cancelling {}", b.title), e))?;
            }
            None => {}
        }
    }

    // Weekly series, leaving out the dates the preview says cannot be booked.
    for s in &act.series {
        let (actor, org, _) = *places.account(&s.by)?;
        let weekday: Weekday = s
            .weekday
            .parse()
            .map_err(|_| DemoError::Inconsistent(format!("weekday {}", s.weekday)))?;
        let mut first = workday(today, s.first_workday);
        while first.weekday() != weekday {
            first = add_days(first, 1);
        }
        let req = NewBooking {
            space_id: places.space(&s.space)?,
            organisation_id: org,
            slot: LocalSlot {
                date: first,
                start_minute: minute(&s.from)?,
                end_minute: minute(&s.until)?,
            },
            title: s.title.clone(),
            attendees: s.attendees,
            equipment: Vec::new(),
        };
        let recurrence = Recurrence {
            interval_weeks: 1,
            weekdays: weekday_bit(weekday),
            end: SeriesEnd::Until(workday(today, s.last_workday)),
        };
        let made = booked_at(at(first, req.slot.start_minute)?, now);
        let skip: HashSet<NaiveDate> =
            bookings::preview_series(db, &actor, &req, &recurrence, made)
                .await
                .map_err(|e| step_failed(format!("series {}", s.title), e))?
                .into_iter()
                .filter(|(_, problem)| problem.is_some())
                .map(|(date, _)| date)
                .collect();
        let (_, occurrences) = bookings::create_series(db, &actor, &req, &recurrence, &skip, made)
            .await
            .map_err(|e| step_failed(format!("series {}", s.title), e))?;
        report.bookings += occurrences.len();
    }

    for e in &act.events {
        seed_event(db, &places, &manager, terms, e, hub.vat_rate_bp, now).await?;
        report.events += 1;
    }
    report.billing_runs = billing::seed(db, now).await?;
    Ok(report)
}

/// One event, taken through the pipeline up to its stage, one day per step.
async fn seed_event(
    db: &DatabaseConnection,
    places: &Places,
    manager: &Actor,
    terms: &EventTerms,
    spec: &EventSpec,
    vat_bp: i32,
    now: DateTime<Utc>,
) -> Result<(), DemoError> {
    let failed = |what: &str, e: EventError| step_failed(format!("{} {what}", spec.name), e);
    let (organiser, organisation_id, tier) = *places.account(&spec.by)?;
    let who = Requester {
        user_id: organiser.user_id,
        organisation_id,
        tier,
    };
    let today = paris_today(now);
    let date = add_days(today, spec.day);
    let mut spaces = Vec::with_capacity(spec.spaces.len());
    for (code, layout) in &spec.spaces {
        spaces.push((places.space(code)?, *layout));
    }
    let mut extras = Vec::with_capacity(spec.extras.len());
    for code in &spec.extras {
        extras.push(
            Extra::from_code(code)
                .ok_or_else(|| DemoError::Inconsistent(format!("unknown event extra {code}")))?,
        );
    }
    let request = EventRequest {
        name: spec.name.clone(),
        kind: spec.kind,
        first_date: date,
        last_date: date,
        start_minute: minute(&spec.from)?,
        end_minute: minute(&spec.until)?,
        attendance: spec.attendance,
        spaces,
        suggest: false,
        extras,
        catering: spec.catering.clone(),
        catering_covers: spec.catering_covers,
        setup_minutes: spec.setup_hours * 60,
        teardown_minutes: spec.teardown_hours * 60,
        contact_phone: String::new(),
        notes: spec.notes.clone(),
    };
    let asked = now - Duration::days(spec.asked_days_ago);
    // Each step a day after the one before; none may lie in the future.
    let step = |n: i64| {
        let t = asked + Duration::days(n);
        if t > now {
            Err(DemoError::Inconsistent(format!(
                "activity: {} needs asking at least {n} days ago",
                spec.name
            )))
        } else {
            Ok(t)
        }
    };
    let id = events::create_request(db, who, &request, asked)
        .await
        .map_err(|e| failed("request", e))?;
    if spec.stage == Stage::Request {
        return Ok(());
    }
    let unit = |u| labels::rate_unit(Locale::fr, u);
    let extra = |x| labels::extra(Locale::fr, x);
    let quoted_at = step(1)?;
    events::draft(db, id, &unit, &extra, quoted_at)
        .await
        .map_err(|e| failed("draft", e))?;
    for l in &spec.extra_lines {
        events::save_line(
            db,
            id,
            None,
            Line {
                description: l.description.clone(),
                quantity: l.quantity,
                unit_cents: l.unit_cents,
                vat_bp,
            },
        )
        .await
        .map_err(|e| failed("quote line", e))?;
    }
    events::send_quote(db, id, manager.user_id, quoted_at)
        .await
        .map_err(|e| failed("quote", e))?;
    match spec.stage {
        Stage::Request | Stage::Quoted => return Ok(()),
        Stage::Option => {
            let until = spec.option_until_day.ok_or_else(|| {
                DemoError::Inconsistent(format!("activity: {} lacks option_until_day", spec.name))
            })?;
            let expires = paris_to_utc(add_days(today, until), 24 * 60)
                .map_err(|_| DemoError::Inconsistent(format!("option of {}", spec.name)))?;
            events::place_option(db, id, expires, manager.user_id, step(2)?)
                .await
                .map_err(|e| failed("option", e))?;
            return Ok(());
        }
        Stage::Confirmed | Stage::Done => {}
    }
    events::answer_quote(db, id, true, organiser.user_id, step(2)?)
        .await
        .map_err(|e| failed("acceptance", e))?;
    events::confirm(db, id, terms, manager.user_id, step(3)?)
        .await
        .map_err(|e| failed("confirmation", e))?;
    if spec.stage == Stage::Done {
        let ended = events::find(db, id)
            .await
            .map_err(|e| failed("reading", e))?
            .ends_at;
        let done_at = ended + Duration::days(1);
        if done_at > now {
            return Err(DemoError::Inconsistent(format!(
                "activity: {} has not ended a day ago",
                spec.name
            )));
        }
        events::mark_done(db, id, manager.user_id, done_at)
            .await
            .map_err(|e| failed("done", e))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_file_matches_the_hub() {
        let hub: Hub = serde_json::from_str(HUB_JSON).unwrap();
        let spaces = all_spaces(&hub);
        let count = |k: SpaceKind| spaces.iter().filter(|s| s.kind == k).count();
        let area = |k: SpaceKind| {
            spaces
                .iter()
                .filter(|s| s.kind == k && s.parent.is_none())
                .map(|s| s.area_m2)
                .sum::<i32>()
        };
        assert_eq!(count(SpaceKind::Office), 60);
        assert_eq!(count(SpaceKind::Desk), 44);
        assert_eq!(area(SpaceKind::Office) + area(SpaceKind::Desk), 1_650);
        assert_eq!(count(SpaceKind::Storage), 20);
        assert_eq!(
            area(SpaceKind::Hall) + area(SpaceKind::Canteen) + area(SpaceKind::MeetingRoom),
            1_200
        );
        assert_eq!(area(SpaceKind::Shop), 470);
        let halves: Vec<_> = spaces
            .iter()
            .filter(|s| s.parent.as_deref() == Some("HALLE"))
            .collect();
        assert_eq!(halves.len(), 2);
        assert!(halves.iter().all(|h| h.area_m2 == 450));
        assert!((35..=45).contains(&hub.organisations.len()));
        assert!(Password::parse(&hub.password).is_ok());
    }

    #[test]
    fn working_days_skip_weekends_both_ways() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        // Saturday: day 0 is the next Monday; back, the Friday before.
        assert_eq!(workday(d("2026-03-28"), 0), d("2026-03-30"));
        assert_eq!(workday(d("2026-03-28"), 1), d("2026-03-31"));
        assert_eq!(workday(d("2026-03-28"), -1), d("2026-03-27"));
        // Monday: back one is the Friday, ahead five the next Monday.
        assert_eq!(workday(d("2026-03-30"), -1), d("2026-03-27"));
        assert_eq!(workday(d("2026-03-30"), 5), d("2026-04-06"));
        assert_eq!(workday(d("2026-03-30"), 0), d("2026-03-30"));
    }

    #[test]
    fn the_past_is_booked_from_further_back() {
        let now: DateTime<Utc> = "2026-12-01T15:00:00Z".parse().unwrap();
        let morning: DateTime<Utc> = "2026-12-01T07:00:00Z".parse().unwrap();
        assert_eq!(booked_at(morning, now), morning - Duration::days(3));
        let later: DateTime<Utc> = "2026-12-20T07:00:00Z".parse().unwrap();
        assert_eq!(booked_at(later, now), now - Duration::hours(2));
    }

    #[test]
    fn the_activity_names_known_spaces_and_accounts() {
        let hub: Hub = serde_json::from_str(HUB_JSON).unwrap();
        let codes: HashSet<String> = all_spaces(&hub).into_iter().map(|s| s.code).collect();
        let orgs: HashSet<&str> = hub.organisations.iter().map(|o| o.name.as_str()).collect();
        let emails: HashSet<&str> = hub.accounts.iter().map(|a| a.email.as_str()).collect();
        let a = &hub.activity;
        let spaces = a
            .rotation
            .iter()
            .map(|r| &r.space)
            .chain(a.door.iter().map(|d| &d.space))
            .chain(a.blocks.iter().map(|b| &b.space))
            .chain(a.bookings.iter().map(|b| &b.space))
            .chain(a.series.iter().map(|s| &s.space))
            .chain(
                a.events
                    .iter()
                    .flat_map(|e| e.spaces.iter().map(|(c, _)| c)),
            );
        for code in spaces {
            assert!(codes.contains(code), "{code}");
        }
        let named = a
            .rotation
            .iter()
            .flat_map(|r| r.bookers.iter().map(|b| b.organisation.as_str()))
            .chain(
                a.door
                    .iter()
                    .flat_map(|d| d.slots.iter().map(|s| s.organisation.as_str())),
            )
            .chain(a.bookings.iter().filter_map(|b| b.organisation.as_deref()));
        for org in named {
            assert!(orgs.contains(org), "{org}");
        }
        let people = a
            .bookings
            .iter()
            .filter_map(|b| b.by.as_deref())
            .chain(a.series.iter().map(|s| s.by.as_str()))
            .chain(a.events.iter().map(|e| e.by.as_str()));
        for email in people {
            assert!(emails.contains(email), "{email}");
        }
    }

    #[test]
    fn tiers_are_cheaper_for_residents() {
        assert_eq!(tier_price(10_000, 30), 7_000);
        assert_eq!(tier_price(5_500, 15), 4_675);
        assert_eq!(tier_price(5_555, 30), 3_889);
        assert_eq!(tier_price(12_345, 0), 12_345);
    }

    #[test]
    fn slugs_are_ascii() {
        assert_eq!(
            ascii_slug("Coop'Activités Atlantique"),
            "coop-activites-atlantique"
        );
        assert_eq!(ascii_slug("Atelier Bois & Paille"), "atelier-bois-paille");
        assert_eq!(ascii_slug("Léa"), "lea");
    }
}
