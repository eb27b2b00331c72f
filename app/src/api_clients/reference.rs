//! The API reference as a page reads it: operations, parameters, bodies, answers, an example
//! for each, and the schemas, all taken from the generated OpenAPI document so the page and
//! the document never disagree.

use crate::api_clients::types::{ApiField, ApiOperation, ApiReference, ApiSchema};
use serde_json::Value;

const METHODS: [&str; 5] = ["get", "put", "post", "patch", "delete"];

fn text(value: &Value, key: &str) -> String {
    value
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

/// A schema as a short type: `string`, `integer`, `CaseDocument`, `array of SubjectDocument`,
/// `Theme: smuggling, trafficking, terrorism`.
fn kind_of(schema: &Value, schemas: &Value) -> String {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let name = reference.rsplit('/').next().unwrap_or(reference);
        return match schemas.get(name).and_then(|s| s.get("enum")) {
            Some(_) => format!("{name}: {}", kind_of(&schemas[name], schemas)),
            None => name.to_owned(),
        };
    }
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        let codes: Vec<&str> = values.iter().filter_map(Value::as_str).collect();
        return codes.join(", ");
    }
    for key in ["oneOf", "anyOf", "allOf"] {
        if let Some(options) = schema.get(key).and_then(Value::as_array) {
            let kinds: Vec<String> = options
                .iter()
                .map(|o| kind_of(o, schemas))
                .filter(|k| k != "null")
                .collect();
            return kinds.join(" or ");
        }
    }
    let kinds: Vec<&str> = match schema.get("type") {
        Some(Value::String(kind)) => vec![kind.as_str()],
        Some(Value::Array(kinds)) => kinds
            .iter()
            .filter_map(Value::as_str)
            .filter(|k| *k != "null")
            .collect(),
        _ => return "object".to_owned(),
    };
    if kinds.contains(&"array") {
        return format!(
            "array of {}",
            kind_of(schema.get("items").unwrap_or(&Value::Null), schemas)
        );
    }
    let kind = kinds.join(" or ");
    match schema.get("format").and_then(Value::as_str) {
        Some(format) => format!("{kind} ({format})"),
        None => kind,
    }
}

/// A schema's properties, with those of the schemas it is made of (`allOf`, a flattened
/// field), and which are required.
fn properties(schema: &Value, schemas: &Value) -> Vec<ApiField> {
    let schema = match schema.get("$ref").and_then(Value::as_str) {
        Some(reference) => &schemas[reference.rsplit('/').next().unwrap_or(reference)],
        None => schema,
    };
    let mut fields: Vec<ApiField> = schema
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .flat_map(|part| properties(part, schemas))
        .collect();
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if let Some(props) = schema.get("properties").and_then(Value::as_object) {
        fields.extend(props.iter().map(|(field, s)| ApiField {
            name: field.clone(),
            location: String::new(),
            kind: kind_of(s, schemas),
            required: required.contains(&field.as_str()),
            description: text(s, "description"),
        }));
    }
    fields
}

fn sample_path(path: &str) -> String {
    path.replace("{joint_venture_id}", "3")
        .replace("{reference}", "ABC-123")
        .replace("{id}", "42")
}

fn curl(method: &str, path: &str, body: bool, query: &[String]) -> String {
    let mut line = format!("curl -sS -X {}", method.to_uppercase());
    line.push_str(" -H \"Authorization: Bearer $LIAISON_TOKEN\"");
    if body {
        line.push_str(" -H \"Content-Type: application/json\" --data @case.json");
    }
    let query = if query.is_empty() {
        String::new()
    } else {
        format!("?{}", query.join("&"))
    };
    format!("{line} \"$LIAISON_URL/api/v1{}{query}\"", sample_path(path))
}

fn operation(method: &str, path: &str, op: &Value, schemas: &Value) -> ApiOperation {
    let parameters: Vec<ApiField> = op
        .get("parameters")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .map(|p| ApiField {
                    name: text(p, "name"),
                    location: text(p, "in"),
                    kind: kind_of(p.get("schema").unwrap_or(&Value::Null), schemas),
                    required: p.get("required").and_then(Value::as_bool).unwrap_or(false),
                    description: text(p, "description"),
                })
                .collect()
        })
        .unwrap_or_default();
    let body = op
        .pointer("/requestBody/content/application~1json/schema")
        .map(|s| kind_of(s, schemas));
    let example = body.as_ref().and_then(|name| {
        schemas
            .get(name)
            .and_then(|s| s.get("example"))
            .and_then(|e| serde_json::to_string_pretty(e).ok())
    });
    let responses = op
        .get("responses")
        .and_then(Value::as_object)
        .map(|map| {
            map.iter()
                .map(|(status, r)| {
                    let schema = r
                        .get("content")
                        .and_then(Value::as_object)
                        .and_then(|c| c.values().next())
                        .and_then(|c| c.get("schema"))
                        .map(|s| kind_of(s, schemas))
                        .unwrap_or_default();
                    (status.clone(), text(r, "description"), schema)
                })
                .collect()
        })
        .unwrap_or_default();
    let scopes = op
        .get("security")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|s| s.get("token").and_then(Value::as_array))
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect();
    let query: Vec<String> = parameters
        .iter()
        .filter(|p| p.location == "query" && p.required)
        .map(|p| format!("{}=…", p.name))
        .collect();
    ApiOperation {
        anchor: format!(
            "{method}-{}",
            path.trim_matches('/')
                .replace(['/', '{', '}'], "-")
                .replace("--", "-")
                .trim_matches('-')
        ),
        method: method.to_uppercase(),
        path: format!("/api/v1{path}"),
        summary: text(op, "summary"),
        description: text(op, "description"),
        curl: curl(method, path, body.is_some(), &query),
        scopes,
        parameters,
        body,
        example,
        responses,
    }
}

/// The reference of the API this build serves.
pub fn reference() -> ApiReference {
    let doc: Value = serde_json::from_str(crate::rest::openapi::json()).unwrap_or_default();
    let schemas = doc
        .pointer("/components/schemas")
        .cloned()
        .unwrap_or_default();
    let mut operations = Vec::new();
    if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            for method in METHODS {
                if let Some(op) = item.get(method) {
                    operations.push(operation(method, path, op, &schemas));
                }
            }
        }
    }
    let described = schemas
        .as_object()
        .map(|map| {
            map.iter()
                // The codes' schemas are shown where they are used.
                .filter(|(_, schema)| schema.get("enum").is_none())
                .map(|(name, schema)| ApiSchema {
                    name: name.clone(),
                    description: text(schema, "description"),
                    fields: properties(schema, &schemas),
                })
                .collect()
        })
        .unwrap_or_default();
    ApiReference {
        title: doc
            .pointer("/info/title")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
        description: doc
            .pointer("/info/description")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
        operations,
        schemas: described,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_has_an_example_scopes_and_its_error_answers() {
        let reference = reference();
        assert!(reference.operations.len() >= 6);
        for op in &reference.operations {
            assert!(op.curl.starts_with("curl "), "{}", op.anchor);
            assert!(!op.scopes.is_empty(), "{} names its scope", op.anchor);
            assert!(!op.summary.is_empty(), "{} has a summary", op.anchor);
            let statuses: Vec<&str> = op.responses.iter().map(|r| r.0.as_str()).collect();
            assert!(
                statuses.contains(&"401") && statuses.contains(&"429"),
                "{}",
                op.anchor
            );
        }
        let put = reference
            .operations
            .iter()
            .find(|o| o.method == "PUT")
            .unwrap();
        assert_eq!(put.body.as_deref(), Some("CaseDocument"));
        assert!(put.example.as_deref().unwrap().contains("\"subjects\""));
        let document = reference
            .schemas
            .iter()
            .find(|s| s.name == "CaseDocument")
            .unwrap();
        let theme = document.fields.iter().find(|f| f.name == "theme").unwrap();
        assert!(
            theme.required && theme.kind.contains("smuggling"),
            "{theme:?}"
        );
        let subjects = document
            .fields
            .iter()
            .find(|f| f.name == "subjects")
            .unwrap();
        assert_eq!(subjects.kind, "array of SubjectDocument");
        let resource = reference
            .schemas
            .iter()
            .find(|s| s.name == "SubjectResource")
            .unwrap();
        assert!(
            resource
                .fields
                .iter()
                .any(|f| f.name == "subject" && f.kind == "SubjectDocument"),
            "{resource:?}"
        );
    }
}
