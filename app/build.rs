//! Generates the `i18n` module from `locales/*.json`: missing or extra keys fail the build,
//! so no page can show an untranslated text.

use leptos_i18n_build::{Config, TranslationsInfos};
use std::{error::Error, path::PathBuf};

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=Cargo.toml");

    let out_dir = std::env::var_os("OUT_DIR").ok_or("cargo sets OUT_DIR for build scripts")?;
    let i18n_mod_directory = PathBuf::from(out_dir).join("i18n");

    // Dutch is the default: it is the language of the services that use Liaison.
    let cfg = Config::new("nl")?.add_locale("en")?;
    let translations_infos = TranslationsInfos::parse(cfg)?;
    translations_infos.emit_diagnostics();
    translations_infos.rerun_if_locales_changed();
    translations_infos.generate_i18n_module(i18n_mod_directory)?;
    Ok(())
}
