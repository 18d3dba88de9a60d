//! The OpenAPI description checked against real responses.
use super::*;

/// Checks `value` against an OpenAPI 3.1 schema (the JSON Schema subset
/// utoipa emits). `strict`: objects may hold no property the schema does
/// not declare, so the description cannot miss a field the server sends.
fn validate(
    root: &Value,
    schema: &Value,
    value: &Value,
    path: &str,
    strict: bool,
    errs: &mut Vec<String>,
) {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let name = r.trim_start_matches("#/components/schemas/");
        let target = &root["components"]["schemas"][name];
        assert!(!target.is_null(), "unresolved {r}");
        return validate(root, target, value, path, strict, errs);
    }
    if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
        for s in all {
            validate(root, s, value, path, false, errs);
        }
        if strict && let Some(obj) = value.as_object() {
            let declared = declared(root, schema);
            for k in obj.keys() {
                if !declared.contains(k) {
                    errs.push(format!("{path}.{k}: not in the schema"));
                }
            }
        }
        return;
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(alts) = schema.get(key).and_then(Value::as_array) {
            let ok = alts.iter().any(|s| {
                let mut e = Vec::new();
                validate(root, s, value, path, strict, &mut e);
                e.is_empty()
            });
            if !ok {
                errs.push(format!("{path}: matches no {key} alternative: {value}"));
            }
            return;
        }
    }
    if let Some(t) = schema.get("type") {
        let types: Vec<&str> = match t {
            Value::String(s) => vec![s.as_str()],
            Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        let ok = types.iter().any(|t| match *t {
            "null" => value.is_null(),
            "string" => value.is_string(),
            "boolean" => value.is_boolean(),
            "integer" => value.is_i64() || value.is_u64(),
            "number" => value.is_number(),
            "array" => value.is_array(),
            "object" => value.is_object(),
            _ => false,
        });
        if !ok {
            errs.push(format!("{path}: {value} is not {types:?}"));
            return;
        }
    }
    if let Some(e) = schema.get("enum").and_then(Value::as_array)
        && !e.contains(value)
    {
        errs.push(format!("{path}: {value} not in {e:?}"));
    }
    if let (Some(items), Some(arr)) = (schema.get("items"), value.as_array()) {
        for (i, v) in arr.iter().enumerate() {
            validate(root, items, v, &format!("{path}[{i}]"), strict, errs);
        }
    }
    if let Some(obj) = value.as_object() {
        let props = schema.get("properties").and_then(Value::as_object);
        for r in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let r = r.as_str().unwrap();
            if !obj.contains_key(r) {
                errs.push(format!("{path}.{r}: required, missing"));
            }
        }
        for (k, v) in obj {
            match (
                props.and_then(|p| p.get(k)),
                schema.get("additionalProperties"),
            ) {
                (Some(s), _) => validate(root, s, v, &format!("{path}.{k}"), strict, errs),
                (None, Some(extra)) if extra.is_object() => {
                    validate(root, extra, v, &format!("{path}.{k}"), strict, errs)
                }
                (None, Some(Value::Bool(true))) => {}
                (None, _) if strict && props.is_some() => {
                    errs.push(format!("{path}.{k}: not in the schema"))
                }
                _ => {}
            }
        }
    }
}

/// Every property an (allOf, $ref) schema declares.
fn declared(root: &Value, schema: &Value) -> Vec<String> {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let name = r.trim_start_matches("#/components/schemas/");
        return declared(root, &root["components"]["schemas"][name]);
    }
    let mut out: Vec<String> = schema
        .get("properties")
        .and_then(Value::as_object)
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default();
    for s in schema
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        out.extend(declared(root, s));
    }
    out
}

fn response_schema<'a>(spec: &'a Value, path: &str, status: &str) -> &'a Value {
    let s =
        &spec["paths"][path]["get"]["responses"][status]["content"]["application/json"]["schema"];
    assert!(!s.is_null(), "no schema for GET {path} {status}");
    s
}

#[tokio::test]
async fn openapi_describes_the_real_responses() {
    let app = router(demo());
    let r = get(&app, "/api/openapi.json").await;
    assert_eq!(r.status, StatusCode::OK);
    let spec = r.json();
    assert!(spec["openapi"].as_str().unwrap().starts_with("3."));
    let id = id_of_number("128-QĐ/TU");
    let cases = [
        (
            "/api/search",
            "200",
            "/api/search?q=dan+van&limit=20".to_string(),
        ),
        (
            "/api/search",
            "200",
            "/api/search?q=ma+doc+kiem+thu".to_string(),
        ),
        ("/api/search", "400", "/api/search?limit=1000".to_string()),
        ("/api/documents/{id}", "200", format!("/api/documents/{id}")),
        (
            "/api/documents/{id}",
            "200",
            format!("/api/documents/{}", id_of_number("77-TB/BDVTU")),
        ),
        (
            "/api/documents/{id}",
            "404",
            "/api/documents/nope".to_string(),
        ),
        (
            "/api/lookup",
            "200",
            "/api/lookup?number=312-QD/TU".to_string(),
        ),
        ("/api/lookup", "400", "/api/lookup?number=x".to_string()),
        ("/api/stats", "200", "/api/stats".to_string()),
        ("/healthz", "200", "/healthz".to_string()),
    ];
    for (path, status, uri) in cases {
        let r = get(&app, &uri).await;
        assert_eq!(r.status.as_str(), status, "{uri}: {}", r.text());
        let mut errs = Vec::new();
        validate(
            &spec,
            response_schema(&spec, path, status),
            &r.json(),
            "$",
            true,
            &mut errs,
        );
        assert!(
            errs.is_empty(),
            "{uri} against the OpenAPI description:\n{}",
            errs.join("\n")
        );
    }
    // Every parameter the server reads is described.
    let params: Vec<&str> = spec["paths"]["/api/search"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    for p in [
        "q", "kind", "issuer", "year", "from", "to", "sort", "offset", "limit",
    ] {
        assert!(params.contains(&p), "{p} in {params:?}");
    }
}
