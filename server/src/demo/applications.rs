//! The demo's hosting pipeline and floor plan: visit slots, applications at every step, a
//! committee session held three weeks ago with its decisions and one to come with its agenda,
//! the diversity targets, units promised to an accepted candidate, and where every unit is.
//! What the hub already has is kept.
use super::{DemoError, step_failed};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use coopole_app::applications::model::{ApplicationForm, Decision, NewSlot};
use coopole_app::applications::service as applications;
use coopole_app::auth::model::Role;
use coopole_app::bookings::rules::{paris_to_utc, paris_today};
use coopole_app::entities::{
    application, application_step, committee, committee_item, space, unit_layout, unit_let, user,
};
use coopole_app::hosting::model::ApplicationStatus;
use coopole_app::hosting::rules::Target;
use coopole_app::spaces::model::SpaceKind;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, DatabaseConnection, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, Set,
};
use std::collections::HashSet;

/// Each unit's place, unless it has one: offices along two corridors on floors 1 and 2,
/// the open space's desks in rows and the storage units along a wall on the ground floor.
/// Rectangles in decimetres; an office's frontage follows its area at 5 m deep.
pub async fn seed_layouts(db: &DatabaseConnection) -> Result<(), DemoError> {
    let placed: HashSet<i32> = unit_layout::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|l| l.space_id)
        .collect();
    let units = space::Entity::find()
        .filter(space::Column::Kind.is_in([SpaceKind::Office, SpaceKind::Desk, SpaceKind::Storage]))
        .order_by_asc(space::Column::Code)
        .all(db)
        .await?;
    let mut office = 0;
    let mut desk = 0;
    let mut storage_x = 10;
    let mut office_x = [[10; 2]; 2];
    for u in &units {
        let (floor, x, y, width, height) = match u.kind {
            SpaceKind::Office => {
                let floor = if office < 30 { 1 } else { 2 };
                let side = (office % 30) / 15;
                let width = u.area_m2 * 2;
                let x = office_x[usize::from(floor == 2)][side];
                office_x[usize::from(floor == 2)][side] += width + 2;
                office += 1;
                (floor, x, if side == 0 { 10 } else { 92 }, width, 50)
            }
            SpaceKind::Desk => {
                let (row, col) = (desk / 11, desk % 11);
                desk += 1;
                (0, 10 + col * 26, 10 + row * 30, 22, 22)
            }
            _ => {
                let width = u.area_m2 * 5;
                let x = storage_x;
                storage_x += width + 2;
                (0, x, 150, width, 20)
            }
        };
        if placed.contains(&u.id) {
            continue;
        }
        unit_layout::ActiveModel {
            space_id: Set(u.id),
            floor: Set(floor),
            x: Set(x),
            y: Set(y),
            width: Set(width),
            height: Set(height),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

struct Demo {
    email: &'static str,
    name: &'static str,
    legal_form: &'static str,
    siret: &'static str,
    founded: i32,
    esus: bool,
    sector: &'static str,
    headcount: i32,
    wants: (i32, i32, i32),
    in_days: i64,
    project: &'static str,
    contribution: &'static str,
}

const DEMOS: [Demo; 6] = [
    Demo {
        email: "candidat@coopole.example",
        name: "Atelier Bois Commun",
        legal_form: "scic",
        siret: "732 829 320 00074",
        founded: 2019,
        esus: true,
        sector: "eco_construction",
        headcount: 5,
        wants: (4, 0, 8),
        in_days: 60,
        project: "Une menuiserie coopérative qui forme aux métiers du bois et fabrique du mobilier à partir de bois de réemploi.",
        contribution: "Des ateliers de réparation de meubles pour les structures du pôle et un stock de bois partagé avec la boutique collective.",
    },
    Demo {
        email: "candidate2@coopole.example",
        name: "Les Paniers de l'Erdre",
        legal_form: "association",
        siret: "404 833 048 00022",
        founded: 2023,
        esus: false,
        sector: "short_food_circuits",
        headcount: 3,
        wants: (0, 3, 4),
        in_days: 45,
        project: "Des paniers de producteurs à moins de 50 km, livrés à vélo dans les quartiers nord.",
        contribution: "Un point de retrait de paniers au pôle et des produits locaux pour la cantine.",
    },
    Demo {
        email: "candidate3@coopole.example",
        name: "Numérique Pour Tous 44",
        legal_form: "association",
        siret: "542 065 479",
        founded: 2016,
        esus: true,
        sector: "digital_for_all",
        headcount: 8,
        wants: (6, 0, 0),
        in_days: 30,
        project: "Des permanences d'aide au numérique et du reconditionnement d'ordinateurs pour les familles.",
        contribution: "Un accompagnement numérique des salariés des structures hébergées et des postes reconditionnés.",
    },
    Demo {
        email: "candidate4@coopole.example",
        name: "Coop'Énergie des Îles",
        legal_form: "scop",
        siret: "552 081 317",
        founded: 2021,
        esus: true,
        sector: "citizen_energy",
        headcount: 4,
        wants: (4, 0, 0),
        in_days: 20,
        project: "Des centrales solaires citoyennes sur les toits de l'Île de Nantes, financées par les habitants.",
        contribution: "Une étude de toiture pour le pôle et des ateliers sur la sobriété énergétique.",
    },
    Demo {
        email: "candidate5@coopole.example",
        name: "Loire Slow Tourisme",
        legal_form: "esus_company",
        siret: "443 061 841",
        founded: 2012,
        esus: true,
        sector: "sustainable_tourism",
        headcount: 12,
        wants: (8, 2, 0),
        in_days: 90,
        project: "Des séjours à vélo et en bateau le long de la Loire avec des hébergeurs de l'ESS.",
        contribution: "Des visites du pôle pour les groupes et un réseau d'hébergeurs partenaires.",
    },
    Demo {
        email: "candidate6@coopole.example",
        name: "Le Jardin des Possibles",
        legal_form: "association",
        siret: "775 672 272",
        founded: 2025,
        esus: false,
        sector: "culture",
        headcount: 2,
        wants: (0, 2, 0),
        in_days: 15,
        project: "Un jardin partagé et des spectacles de rue dans les friches de l'île.",
        contribution: "Des animations pour les événements du pôle.",
    },
];

/// The applications, visits and committee sessions, on a hub that has no application yet.
pub async fn seed(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<usize, DemoError> {
    if application::Entity::find().count(db).await? > 0 {
        return Ok(0);
    }
    let Some(manager) = user::Entity::find()
        .filter(user::Column::Role.eq(Role::Manager))
        .order_by_asc(user::Column::Id)
        .one(db)
        .await?
        .map(|m| m.id)
    else {
        return Ok(0);
    };
    let today = paris_today(now);
    applications::set_targets(
        db,
        &[
            Target::MaxLegalFormPercent { percent: 40 },
            Target::MaxSectorPercent { percent: 25 },
            Target::MinSectors { count: 8 },
            Target::MinLegalForms { count: 5 },
        ],
    )
    .await
    .map_err(|e| step_failed("the diversity targets", e))?;
    // Visits on the next four Tuesdays at 10:00, four places each.
    let mut slots = Vec::new();
    let mut day = today + Duration::days(1);
    while slots.len() < 4 {
        if chrono::Datelike::weekday(&day) == chrono::Weekday::Tue {
            let slot = NewSlot {
                day,
                start: chrono::NaiveTime::from_hms_opt(10, 0, 0).unwrap_or_default(),
                minutes: 60,
                capacity: 4,
            };
            slots.push(
                applications::open_slot(db, manager, &slot, now)
                    .await
                    .map_err(|e| step_failed("a visit slot", e))?,
            );
        }
        day += Duration::days(1);
    }
    // Each candidate filed its application a few weeks back.
    let mut ids = Vec::new();
    for (i, d) in DEMOS.iter().enumerate() {
        let Some(candidate) = user::Entity::find()
            .filter(user::Column::Email.eq(d.email))
            .one(db)
            .await?
        else {
            return Ok(0);
        };
        let filed = now - Duration::days(40 - 4 * i as i64);
        let form = ApplicationForm {
            organisation_name: d.name.into(),
            legal_form: d.legal_form.into(),
            siret: d.siret.into(),
            founded_year: d.founded.to_string(),
            esus: d.esus,
            sector: d.sector.into(),
            headcount: d.headcount.to_string(),
            address: "Nantes".into(),
            office_people: d.wants.0.to_string(),
            desks: d.wants.1.to_string(),
            storage_m2: d.wants.2.to_string(),
            wanted_from: (today + Duration::days(d.in_days)).to_string(),
            duration_months: String::new(),
            project: d.project.into(),
            contribution: d.contribution.into(),
            contact_name: candidate.name.clone(),
            contact_email: d.email.into(),
            contact_phone: "02 40 00 00 00".into(),
            visit_slot: String::new(),
        };
        let new = form
            .parse(today)
            .map_err(|e| step_failed(format!("the application of {}", d.name), e))?;
        let id = applications::submit(db, candidate.id, &new, filed)
            .await
            .map_err(|e| step_failed(format!("the application of {}", d.name), e))?;
        ids.push(id);
    }
    let [_received, paniers, numerique, energie, tourisme, jardin] = ids[..] else {
        return Ok(0);
    };
    let later = |days: i64| now - Duration::days(days);
    // A visit booked for next Tuesday.
    applications::book_visit(db, paniers, slots[0], manager, now)
        .await
        .map_err(|e| step_failed("a visit booking", e))?;
    for (id, days) in [(numerique, 18), (energie, 26), (tourisme, 25), (jardin, 24)] {
        let note = "Visite faite avec l'équipe.";
        applications::move_application(
            db,
            id,
            ApplicationStatus::Visited,
            manager,
            note,
            later(days),
        )
        .await
        .map_err(|e| step_failed("a visit", e))?;
    }
    // The session of three weeks ago, written as it was: agenda, votes and decisions.
    let held = paris_to_utc(today - Duration::days(21), 14 * 60)
        .map_err(|_| DemoError::Inconsistent("no such time".into()))?;
    let past = committee::ActiveModel {
        meets_at: Set(held),
        place: Set("Salle Loire".into()),
        created_by: Set(manager),
        created_at: Set(later(30)),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let decisions = [
        (
            energie,
            ApplicationStatus::Accepted,
            (7, 0, 1),
            "Projet coopératif solide ; le secteur de l'énergie citoyenne est peu présent.",
        ),
        (
            tourisme,
            ApplicationStatus::WaitListed,
            (4, 2, 2),
            "Candidature appréciée, mais pas assez de bureaux libres pour huit personnes avant l'été.",
        ),
        (
            jardin,
            ApplicationStatus::Refused,
            (1, 6, 1),
            "Le projet a besoin d'un terrain plutôt que de postes de travail ; orienté vers le réseau des jardins partagés.",
        ),
    ];
    for (position, (id, outcome, (yes, no, abstain), reasons)) in decisions.iter().enumerate() {
        record_past(db, past.id, *id, position as i32 + 1, manager, held).await?;
        let d = Decision {
            outcome: *outcome,
            votes_for: *yes,
            votes_against: *no,
            votes_abstain: *abstain,
            reasons: (*reasons).into(),
        };
        applications::decide(db, past.id, *id, manager, &d, held + Duration::hours(2))
            .await
            .map_err(|e| step_failed("a committee decision", e))?;
    }
    // The next session, with one application on its agenda.
    let next = applications::create_committee(
        db,
        manager,
        paris_to_utc(today + Duration::days(10), 14 * 60)
            .map_err(|_| DemoError::Inconsistent("no such time".into()))?,
        "Salle Loire",
        later(2),
    )
    .await
    .map_err(|e| step_failed("the next committee", e))?;
    applications::put_on_agenda(db, numerique, next, manager, "Dossier complet.", later(1))
        .await
        .map_err(|e| step_failed("the agenda", e))?;
    // Two free offices promised to the accepted candidate.
    let wanted = today + Duration::days(DEMOS[3].in_days);
    let offices = free_offices(db, wanted, 2).await?;
    applications::promise_units(db, energie, &offices, manager, later(20))
        .await
        .map_err(|e| step_failed("the promised offices", e))?;
    Ok(DEMOS.len())
}

/// Writes an agenda item of a session already held (the service only books sessions to come),
/// and the application's move to it.
async fn record_past(
    db: &DatabaseConnection,
    committee_id: i32,
    id: i32,
    position: i32,
    manager: i32,
    at: DateTime<Utc>,
) -> Result<(), DemoError> {
    let txn = coopole_app::db::begin_write(db).await?;
    committee_item::ActiveModel {
        committee_id: Set(committee_id),
        application_id: Set(id),
        position: Set(position),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    application::ActiveModel {
        id: Set(id),
        status: Set(ApplicationStatus::AtCommittee),
        committee_id: Set(Some(committee_id)),
        updated_at: Set(at - Duration::days(7)),
        ..Default::default()
    }
    .update(&txn)
    .await?;
    application_step::ActiveModel {
        application_id: Set(id),
        from_status: Set(Some(ApplicationStatus::Visited)),
        to_status: Set(ApplicationStatus::AtCommittee),
        by_user: Set(manager),
        at: Set(at - Duration::days(7)),
        note: Set(String::new()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(())
}

/// `n` offices that no let holds from `from`.
async fn free_offices(
    db: &DatabaseConnection,
    from: NaiveDate,
    n: usize,
) -> Result<Vec<i32>, DemoError> {
    let held: HashSet<i32> = unit_let::Entity::find()
        .filter(
            Condition::any()
                .add(unit_let::Column::EndsOn.is_null())
                .add(unit_let::Column::EndsOn.gte(from)),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|l| l.space_id)
        .collect();
    Ok(space::Entity::find()
        .filter(space::Column::Kind.eq(SpaceKind::Office))
        .order_by_asc(space::Column::Code)
        .all(db)
        .await?
        .into_iter()
        .filter(|s| !held.contains(&s.id))
        .take(n)
        .map(|s| s.id)
        .collect())
}
