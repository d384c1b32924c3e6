use super::model::HubFigures;
use crate::error::AppError;
use leptos::prelude::*;

/// The home page's figures. Public: they describe the hub, not anyone in it.
#[server(prefix = "/api", endpoint = "hub/figures")]
pub async fn load_hub_figures() -> Result<HubFigures, AppError> {
    let ctx = crate::ctx::ctx()?;
    super::service::figures(&ctx.db)
        .await
        .map_err(|e| ctx.internal(e))
}
