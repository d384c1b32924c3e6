//! Reading spaces, their equipment, parts and rates.
use super::model::{CatalogueFilter, Equipment, Rate, SpaceCard, SpaceDetail, SpaceKind, SpaceRef};
use crate::entities::{space, space_equipment, space_rate};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// How long a server keeps the catalogue before reading it again.
pub const CATALOGUE_TTL: Duration = Duration::from_secs(30);

/// The whole catalogue, kept by each server for `CATALOGUE_TTL`. Spaces are reference data:
/// migrations and the demo seed write them, the app itself never does. A change shows on every
/// server within the TTL, and a filter is applied to the kept list in memory, which gives the
/// answer the query would (see `catalogue`: parents are named from the whole hub either way).
#[derive(Debug, Default)]
pub struct CatalogueCache(RwLock<Option<(Instant, Arc<Vec<SpaceCard>>)>>);

impl CatalogueCache {
    pub async fn cards(
        &self,
        db: &impl ConnectionTrait,
        filter: &CatalogueFilter,
    ) -> Result<Vec<SpaceCard>, DbErr> {
        let kept = self.0.read().ok().and_then(|kept| {
            kept.as_ref()
                .filter(|(at, _)| at.elapsed() < CATALOGUE_TTL)
                .map(|(_, cards)| Arc::clone(cards))
        });
        let all = match kept {
            Some(cards) => cards,
            None => {
                let cards = Arc::new(catalogue(db, &CatalogueFilter::default()).await?);
                if let Ok(mut kept) = self.0.write() {
                    *kept = Some((Instant::now(), Arc::clone(&cards)));
                }
                cards
            }
        };
        Ok(all
            .iter()
            .filter(|c| filter.admits(c.kind, c.capacity, c.area_m2))
            .cloned()
            .collect())
    }
}

fn to_ref(s: &space::Model) -> SpaceRef {
    SpaceRef {
        id: s.id,
        name: s.name.clone(),
        area_m2: s.area_m2,
        capacity: s.capacity,
    }
}

fn kind_rank(kind: SpaceKind) -> usize {
    SpaceKind::ALL
        .iter()
        .position(|k| *k == kind)
        .unwrap_or(usize::MAX)
}

/// The spaces that pass `filter`, rentable rooms first, then by name.
pub async fn catalogue(
    db: &impl ConnectionTrait,
    filter: &CatalogueFilter,
) -> Result<Vec<SpaceCard>, DbErr> {
    let mut query = space::Entity::find();
    if let Some(kind) = filter.kind {
        query = query.filter(space::Column::Kind.eq(kind));
    }
    if let Some(min) = filter.min_capacity {
        query = query.filter(space::Column::Capacity.gte(min));
    }
    if let Some(min) = filter.min_area {
        query = query.filter(space::Column::AreaM2.gte(min));
    }
    if let Some(max) = filter.max_area {
        query = query.filter(space::Column::AreaM2.lte(max));
    }
    let spaces = query.order_by_asc(space::Column::Code).all(db).await?;
    if spaces.is_empty() {
        return Ok(Vec::new());
    }

    // Parents may fall outside the filter, so they are looked up by id.
    let parent_ids: Vec<i32> = spaces.iter().filter_map(|s| s.parent_id).collect();
    let parents: HashMap<i32, String> = if parent_ids.is_empty() {
        HashMap::new()
    } else {
        space::Entity::find()
            .filter(space::Column::Id.is_in(parent_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|p| (p.id, p.name))
            .collect()
    };
    let ids: Vec<i32> = spaces.iter().map(|s| s.id).collect();
    let mut equipment: HashMap<i32, Vec<Equipment>> = HashMap::new();
    for row in space_equipment::Entity::find()
        .filter(space_equipment::Column::SpaceId.is_in(ids))
        .all(db)
        .await?
    {
        equipment
            .entry(row.space_id)
            .or_default()
            .push(row.equipment);
    }

    let mut cards: Vec<SpaceCard> = spaces
        .into_iter()
        .map(|s| {
            let mut items = equipment.remove(&s.id).unwrap_or_default();
            items.sort();
            SpaceCard {
                part_of: s.parent_id.and_then(|p| parents.get(&p).cloned()),
                id: s.id,
                code: s.code,
                name: s.name,
                kind: s.kind,
                area_m2: s.area_m2,
                capacity: s.capacity,
                bookable: s.bookable,
                equipment: items,
            }
        })
        .collect();
    cards.sort_by(|a, b| {
        kind_rank(a.kind)
            .cmp(&kind_rank(b.kind))
            .then_with(|| a.code.cmp(&b.code))
    });
    Ok(cards)
}

/// One space with what it contains, what contains it, its equipment and its rates.
pub async fn detail(db: &impl ConnectionTrait, id: i32) -> Result<Option<SpaceDetail>, DbErr> {
    let Some(s) = space::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    let part_of = match s.parent_id {
        Some(parent) => space::Entity::find_by_id(parent)
            .one(db)
            .await?
            .as_ref()
            .map(to_ref),
        None => None,
    };
    let parts = space::Entity::find()
        .filter(space::Column::ParentId.eq(s.id))
        .order_by_asc(space::Column::Code)
        .all(db)
        .await?
        .iter()
        .map(to_ref)
        .collect();
    let mut equipment: Vec<Equipment> = space_equipment::Entity::find()
        .filter(space_equipment::Column::SpaceId.eq(s.id))
        .all(db)
        .await?
        .into_iter()
        .map(|e| e.equipment)
        .collect();
    equipment.sort();
    let mut rates: Vec<Rate> = space_rate::Entity::find()
        .filter(space_rate::Column::SpaceId.eq(s.id))
        .all(db)
        .await?
        .into_iter()
        .map(|r| Rate {
            tier: r.tier,
            unit: r.unit,
            amount_cents: r.amount_cents,
            vat_rate_bp: r.vat_rate_bp,
        })
        .collect();
    rates.sort_by_key(|r| (r.unit, r.tier));
    Ok(Some(SpaceDetail {
        id: s.id,
        code: s.code,
        name: s.name,
        kind: s.kind,
        area_m2: s.area_m2,
        capacity: s.capacity,
        description: s.description,
        bookable: s.bookable,
        part_of,
        parts,
        equipment,
        rates,
    }))
}
