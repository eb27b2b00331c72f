//! Wire types (both targets): what server functions take and return.

use crate::domain::SubjectKind;
use serde::{Deserialize, Serialize};

/// The subject form, and the columns of the CSV layout in this order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SubjectInput {
    pub kind: String,
    pub given_names: String,
    pub family_name: String,
    /// Other names, separated by `;`.
    pub aliases: String,
    pub birth_date: String,
    pub nationality: String,
    pub sex: String,
    /// The identifier: phone number, IBAN, plate, document number, V-number, e-mail address,
    /// IMO number or company registration number.
    pub value: String,
    pub country: String,
    pub street: String,
    pub house_number: String,
    pub postcode: String,
    pub municipality: String,
    pub document_type: String,
    /// A vessel's or company's name.
    pub name: String,
}

impl SubjectInput {
    pub const COLUMNS: [&'static str; 15] = [
        "kind",
        "given_names",
        "family_name",
        "aliases",
        "birth_date",
        "nationality",
        "sex",
        "value",
        "country",
        "street",
        "house_number",
        "postcode",
        "municipality",
        "document_type",
        "name",
    ];

    pub fn get(&self, column: &str) -> &str {
        match column {
            "kind" => &self.kind,
            "given_names" => &self.given_names,
            "family_name" => &self.family_name,
            "aliases" => &self.aliases,
            "birth_date" => &self.birth_date,
            "nationality" => &self.nationality,
            "sex" => &self.sex,
            "value" => &self.value,
            "country" => &self.country,
            "street" => &self.street,
            "house_number" => &self.house_number,
            "postcode" => &self.postcode,
            "municipality" => &self.municipality,
            "document_type" => &self.document_type,
            "name" => &self.name,
            _ => "",
        }
    }

    pub fn set(&mut self, column: &str, value: String) {
        let slot = match column {
            "kind" => &mut self.kind,
            "given_names" => &mut self.given_names,
            "family_name" => &mut self.family_name,
            "aliases" => &mut self.aliases,
            "birth_date" => &mut self.birth_date,
            "nationality" => &mut self.nationality,
            "sex" => &mut self.sex,
            "value" => &mut self.value,
            "country" => &mut self.country,
            "street" => &mut self.street,
            "house_number" => &mut self.house_number,
            "postcode" => &mut self.postcode,
            "municipality" => &mut self.municipality,
            "document_type" => &mut self.document_type,
            "name" => &mut self.name,
            _ => return,
        };
        *slot = value;
    }

    /// Every field but `kind`, by column name.
    pub fn fields(&self) -> impl Iterator<Item = (&'static str, &str)> {
        Self::COLUMNS[1..].iter().map(|c| (*c, self.get(c)))
    }
}

/// The fields each kind uses; every other field must be empty.
pub fn fields_of(kind: SubjectKind) -> &'static [&'static str] {
    match kind {
        SubjectKind::Person => &[
            "given_names",
            "family_name",
            "aliases",
            "birth_date",
            "nationality",
            "sex",
        ],
        SubjectKind::Phone
        | SubjectKind::BankAccount
        | SubjectKind::ImmigrationNumber
        | SubjectKind::Email => &["value"],
        SubjectKind::Vehicle => &["value", "country"],
        SubjectKind::Address => &[
            "street",
            "house_number",
            "postcode",
            "municipality",
            "country",
        ],
        SubjectKind::Document => &["document_type", "value", "country"],
        SubjectKind::Vessel => &["value", "name"],
        SubjectKind::Company => &["name", "value", "country"],
    }
}

/// A subject as a case page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubjectRow {
    pub id: i32,
    pub kind: SubjectKind,
    pub summary: String,
    pub normal: String,
}

/// One page of a case's subjects (a bulk import can bring thousands).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubjectPage {
    pub rows: Vec<SubjectRow>,
    pub total: u64,
    pub page: u64,
    pub pages: u64,
    /// The subject the case is mainly about (duplicate-effort flags look at it).
    pub primary: Option<i32>,
}

pub const SUBJECTS_PER_PAGE: u64 = 50;
