//! Generates the `i18n` module from `locales/*.json` (leptos_i18n's code generation).
use leptos_i18n_build::options::CodegenOptions;
use leptos_i18n_build::{Config, ParseOptions, TranslationsInfos};
use std::error::Error;
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=Cargo.toml");
    let out_dir = std::env::var_os("OUT_DIR").ok_or("OUT_DIR is not set")?;
    let module_dir = PathBuf::from(out_dir).join("i18n");
    // French is the hub's language; English is the alternative.
    let options = ParseOptions::default().interpolate_display(true);
    let config = Config::new("fr")?.add_locale("en")?.parse_options(options);
    let infos = TranslationsInfos::parse(config)?;
    infos.emit_diagnostics();
    infos.rerun_if_locales_changed();
    // The generated code unwraps where it cannot fail; our lints deny that in our own code.
    let attributes = "#![allow(clippy::all, clippy::expect_used, clippy::unwrap_used)]".parse()?;
    let codegen = CodegenOptions::default()
        .top_level_attributes(Some(attributes))
        .gen_docs(false);
    infos.generate_i18n_module_with_options(module_dir, codegen)?;
    Ok(())
}
