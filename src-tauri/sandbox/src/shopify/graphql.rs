//! Just enough GraphQL execution for the Shopify sandbox: the document is parsed with a real
//! GraphQL parser (so a malformed query fails as it would on Shopify), variables and fragments are
//! resolved into a plain selection tree, and resolvers hand back a *full* JSON object that is then
//! projected onto what the client selected. Connections are marked in that full object and are
//! paged here (`first`/`after`, `nodes`/`edges`/`pageInfo`), so every resolver pages the same way.
//!
//! This module knows GraphQL, not Shopify's schema: which fields exist and what they mean is the
//! business of the resolvers in the sibling modules.

use async_graphql_parser::types::{DocumentOperations, OperationType, Selection, SelectionSet};
use async_graphql_parser::Positioned;
use async_graphql_value::{Name, Value};
use base64::Engine;
use serde_json::{json, Map, Value as Json};
use std::collections::HashMap;

/// Key marking a connection in a resolver's full object: `{"__connection": [items]}`; each item
/// carries a `__key` that sorts in the connection's order and becomes its cursor.
pub const CONNECTION: &str = "__connection";
pub const KEY: &str = "__key";

/// One selected field, with variables resolved.
#[derive(Debug, Clone)]
pub struct Field {
    pub alias: Option<String>,
    pub name: String,
    pub args: Map<String, Json>,
    /// Directives by name with their resolved arguments (`@idempotent(key:)`).
    pub directives: Vec<(String, Map<String, Json>)>,
    pub children: Vec<Field>,
    pub line: usize,
    pub column: usize,
}

impl Field {
    /// The key this field has in the response.
    pub fn response_key(&self) -> &str {
        self.alias.as_deref().unwrap_or(&self.name)
    }

    pub fn location(&self) -> Json {
        json!([{"line": self.line, "column": self.column}])
    }
}

/// A parsed operation: its type and root fields.
#[derive(Debug, Clone)]
pub struct Operation {
    pub is_mutation: bool,
    pub fields: Vec<Field>,
}

/// A request-level GraphQL error (parse errors, unknown variables), as Shopify reports them in
/// the top-level `errors` list.
#[derive(Debug, Clone)]
pub struct GraphqlError(pub Json);

impl GraphqlError {
    pub fn new(message: impl Into<String>, code: &str) -> Self {
        Self(json!({"message": message.into(), "extensions": {"code": code}}))
    }
}

/// Parses `query` and picks the operation named `operation_name` (or the only one).
pub fn parse(
    query: &str,
    operation_name: Option<&str>,
    variables: &Map<String, Json>,
) -> Result<Operation, GraphqlError> {
    let doc = async_graphql_parser::parse_query(query).map_err(|e| {
        let pos = e.positions().next();
        let mut err = json!({"message": format!("syntax error: {e}")});
        if let Some(p) = pos {
            err["locations"] = json!([{"line": p.line, "column": p.column}]);
        }
        GraphqlError(err)
    })?;
    let op = match (&doc.operations, operation_name) {
        (DocumentOperations::Single(op), _) => op.node.clone(),
        (DocumentOperations::Multiple(ops), Some(name)) => {
            ops.get(name).map(|o| o.node.clone()).ok_or_else(|| {
                GraphqlError::new(format!("No operation named \"{name}\""), "BAD_REQUEST")
            })?
        }
        (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => ops
            .values()
            .next()
            .map(|o| o.node.clone())
            .ok_or_else(|| GraphqlError::new("No operations in the document", "BAD_REQUEST"))?,
        (DocumentOperations::Multiple(_), None) => {
            return Err(GraphqlError::new(
                "An operation name is required when the document has several operations",
                "BAD_REQUEST",
            ))
        }
    };
    if op.ty == OperationType::Subscription {
        return Err(GraphqlError::new(
            "Subscriptions are not supported",
            "BAD_REQUEST",
        ));
    }
    // Variables declared with a default take it when the client sent none; a non-null variable
    // without a value is an error, as in any GraphQL server.
    let mut vars = variables.clone();
    for def in &op.variable_definitions {
        let name = def.node.name.node.as_str().to_string();
        if !vars.contains_key(&name) {
            if let Some(default) = &def.node.default_value {
                let value = default
                    .node
                    .clone()
                    .into_json()
                    .map_err(|e| GraphqlError::new(e.to_string(), "BAD_REQUEST"))?;
                vars.insert(name, value);
            } else if !def.node.var_type.node.nullable {
                return Err(GraphqlError::new(
                    format!(
                        "Variable ${name} of type {} was provided invalid value",
                        def.node.var_type.node
                    ),
                    "INVALID_VARIABLE",
                ));
            }
        }
    }
    let fragments: HashMap<String, SelectionSet> = doc
        .fragments
        .iter()
        .map(|(n, f)| (n.as_str().to_string(), f.node.selection_set.node.clone()))
        .collect();
    let ctx = Ctx {
        vars: &vars,
        fragments: &fragments,
    };
    let fields = ctx.selection(&op.selection_set.node, 0)?;
    Ok(Operation {
        is_mutation: op.ty == OperationType::Mutation,
        fields,
    })
}

struct Ctx<'a> {
    vars: &'a Map<String, Json>,
    fragments: &'a HashMap<String, SelectionSet>,
}

impl Ctx<'_> {
    fn selection(&self, set: &SelectionSet, depth: usize) -> Result<Vec<Field>, GraphqlError> {
        if depth > 30 {
            return Err(GraphqlError::new(
                "Query is nested too deeply",
                "MAX_DEPTH_EXCEEDED",
            ));
        }
        let mut out = Vec::new();
        for item in &set.items {
            match &item.node {
                Selection::Field(f) => {
                    let f = &f.node;
                    out.push(Field {
                        alias: f.alias.as_ref().map(|a| a.node.as_str().to_string()),
                        name: f.name.node.as_str().to_string(),
                        args: self.args(&f.arguments)?,
                        directives: f
                            .directives
                            .iter()
                            .map(|d| {
                                Ok((
                                    d.node.name.node.as_str().to_string(),
                                    self.args(&d.node.arguments)?,
                                ))
                            })
                            .collect::<Result<_, GraphqlError>>()?,
                        children: self.selection(&f.selection_set.node, depth + 1)?,
                        line: f.name.pos.line,
                        column: f.name.pos.column,
                    });
                }
                Selection::InlineFragment(f) => {
                    out.extend(self.selection(&f.node.selection_set.node, depth + 1)?)
                }
                Selection::FragmentSpread(s) => {
                    let name = s.node.fragment_name.node.as_str();
                    let set = self.fragments.get(name).ok_or_else(|| {
                        GraphqlError::new(
                            format!("Fragment {name} was used, but not defined"),
                            "BAD_REQUEST",
                        )
                    })?;
                    out.extend(self.selection(set, depth + 1)?);
                }
            }
        }
        Ok(out)
    }

    fn args(
        &self,
        args: &[(Positioned<Name>, Positioned<Value>)],
    ) -> Result<Map<String, Json>, GraphqlError> {
        args.iter()
            .map(|(n, v)| Ok((n.node.as_str().to_string(), self.value(&v.node)?)))
            .collect()
    }

    fn value(&self, v: &Value) -> Result<Json, GraphqlError> {
        Ok(match v {
            Value::Variable(name) => self.vars.get(name.as_str()).cloned().unwrap_or(Json::Null),
            Value::Null => Json::Null,
            Value::Number(n) => Json::Number(n.clone()),
            Value::String(s) => Json::String(s.clone()),
            Value::Boolean(b) => Json::Bool(*b),
            Value::Binary(_) => {
                return Err(GraphqlError::new(
                    "Binary values are not supported",
                    "BAD_REQUEST",
                ))
            }
            Value::Enum(e) => Json::String(e.as_str().to_string()),
            Value::List(items) => Json::Array(
                items
                    .iter()
                    .map(|i| self.value(i))
                    .collect::<Result<_, _>>()?,
            ),
            Value::Object(map) => Json::Object(
                map.iter()
                    .map(|(k, v)| Ok((k.as_str().to_string(), self.value(v)?)))
                    .collect::<Result<_, GraphqlError>>()?,
            ),
        })
    }
}

/// Projects a resolver's full object onto the selection, paging connections.
pub fn project(full: &Json, selection: &[Field]) -> Json {
    let mut out = Map::new();
    for f in selection {
        let value = full.get(&f.name).unwrap_or(&Json::Null);
        out.insert(f.response_key().to_string(), project_value(value, f));
    }
    Json::Object(out)
}

fn project_value(value: &Json, f: &Field) -> Json {
    match value {
        Json::Object(map) if map.contains_key(CONNECTION) => {
            let items = map
                .get(CONNECTION)
                .and_then(Json::as_array)
                .cloned()
                .unwrap_or_default();
            project_connection(&items, f)
        }
        Json::Object(_) if !f.children.is_empty() => project(value, &f.children),
        Json::Array(items) if !f.children.is_empty() => {
            // A plain list's `first` (as on `Order.refunds`) truncates it to that size.
            let keep = f
                .args
                .get("first")
                .and_then(Json::as_u64)
                .map_or(usize::MAX, |n| usize::try_from(n).unwrap_or(usize::MAX));
            Json::Array(
                items
                    .iter()
                    .take(keep)
                    .map(|i| project(i, &f.children))
                    .collect(),
            )
        }
        other => other.clone(),
    }
}

/// Encodes a connection item's sort key as an opaque cursor.
pub fn cursor_of(key: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(key)
}

fn key_of_cursor(cursor: &str) -> Option<String> {
    base64::engine::general_purpose::STANDARD
        .decode(cursor)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
}

/// How many items a connection field asks for (`first`, else `last`, else 0 which Shopify
/// refuses); used by paging and by the cost calculation.
pub fn page_size(f: &Field) -> u64 {
    f.args
        .get("first")
        .or_else(|| f.args.get("last"))
        .and_then(Json::as_u64)
        .unwrap_or(0)
}

fn project_connection(items: &[Json], f: &Field) -> Json {
    let key = |i: &Json| {
        i.get(KEY)
            .and_then(Json::as_str)
            .unwrap_or_default()
            .to_string()
    };
    let after = f
        .args
        .get("after")
        .and_then(Json::as_str)
        .and_then(key_of_cursor);
    let start = match &after {
        Some(a) => items
            .iter()
            .position(|i| key(i) > *a)
            .unwrap_or(items.len()),
        None => 0,
    };
    let first = usize::try_from(page_size(f)).unwrap_or(usize::MAX);
    let page: Vec<&Json> = items.iter().skip(start).take(first).collect();
    let has_next = start + page.len() < items.len();
    let mut out = Map::new();
    for child in &f.children {
        let v = match child.name.as_str() {
            "nodes" => Json::Array(page.iter().map(|i| project(i, &child.children)).collect()),
            "edges" => Json::Array(
                page.iter()
                    .map(|i| {
                        let edge = json!({"cursor": cursor_of(&key(i)), "node": i});
                        project(&edge, &child.children)
                    })
                    .collect(),
            ),
            "pageInfo" => {
                let info = json!({
                    "hasNextPage": has_next,
                    "hasPreviousPage": start > 0,
                    "startCursor": page.first().map(|i| cursor_of(&key(i))),
                    "endCursor": page.last().map(|i| cursor_of(&key(i))),
                });
                project(&info, &child.children)
            }
            _ => Json::Null,
        };
        out.insert(child.response_key().to_string(), v);
    }
    Json::Object(out)
}

/// The cost Shopify would calculate before running the selection: objects 1, scalars 0,
/// connections 2 + page size × the cost of one node, a plain list sized by `first` (as
/// `Order.refunds(first:)`) that size × the cost of one element. A mutation's root field costs
/// a flat 10.
pub fn requested_cost(fields: &[Field], is_mutation: bool) -> u64 {
    fields
        .iter()
        .map(|f| if is_mutation { 10 } else { field_cost(f) })
        .sum()
}

fn field_cost(f: &Field) -> u64 {
    if f.children.is_empty() {
        return 0;
    }
    let one = || 1 + f.children.iter().map(field_cost).sum::<u64>();
    if is_connection(f) {
        2 + page_size(f) * node_cost(f)
    } else if is_sized(f) {
        page_size(f) * one()
    } else {
        one()
    }
}

/// Whether the field is sized by `first`/`last`.
fn is_sized(f: &Field) -> bool {
    f.args.contains_key("first") || f.args.contains_key("last")
}

/// A connection is sized and selects its pages (`nodes`, `edges`, `pageInfo`); a sized field
/// selecting an element's own fields is a plain list.
fn is_connection(f: &Field) -> bool {
    is_sized(f)
        && f.children
            .iter()
            .any(|c| matches!(c.name.as_str(), "nodes" | "edges" | "pageInfo"))
}

/// The cost of one node of a connection selection (`nodes {..}` or `edges { node {..} }`).
fn node_cost(f: &Field) -> u64 {
    f.children
        .iter()
        .map(|c| match c.name.as_str() {
            "nodes" => 1 + c.children.iter().map(field_cost).sum::<u64>(),
            "edges" => c
                .children
                .iter()
                .filter(|n| n.name == "node")
                .map(|n| 1 + n.children.iter().map(field_cost).sum::<u64>())
                .sum(),
            _ => 0,
        })
        .max()
        .unwrap_or(0)
}

/// The cost of what was actually returned: like [`requested_cost`] but counting the nodes a
/// connection really held, and nothing for objects that came back null.
pub fn actual_cost(fields: &[Field], is_mutation: bool, data: &Json) -> u64 {
    fields
        .iter()
        .map(|f| {
            if is_mutation {
                10
            } else {
                actual_field_cost(f, data.get(f.response_key()).unwrap_or(&Json::Null))
            }
        })
        .sum()
}

fn actual_field_cost(f: &Field, v: &Json) -> u64 {
    if f.children.is_empty() || v.is_null() {
        return 0;
    }
    if is_connection(f) {
        // 2 + what each returned node really cost (nested connections count their own nodes).
        let mut total = 2;
        for c in &f.children {
            let list = v.get(c.response_key()).and_then(Json::as_array);
            match (c.name.as_str(), list) {
                ("nodes", Some(nodes)) => {
                    total += nodes
                        .iter()
                        .map(|n| 1 + children_cost(&c.children, n))
                        .sum::<u64>();
                }
                ("edges", Some(edges)) => {
                    for e in edges {
                        for n in c.children.iter().filter(|n| n.name == "node") {
                            let node = e.get(n.response_key()).unwrap_or(&Json::Null);
                            total += 1 + children_cost(&n.children, node);
                        }
                    }
                }
                _ => {}
            }
        }
        return total;
    }
    match v {
        Json::Array(items) => items
            .iter()
            .map(|i| {
                1 + f
                    .children
                    .iter()
                    .map(|c| actual_field_cost(c, i.get(c.response_key()).unwrap_or(&Json::Null)))
                    .sum::<u64>()
            })
            .sum(),
        _ => {
            1 + f
                .children
                .iter()
                .map(|c| actual_field_cost(c, v.get(c.response_key()).unwrap_or(&Json::Null)))
                .sum::<u64>()
        }
    }
}

fn children_cost(children: &[Field], v: &Json) -> u64 {
    children
        .iter()
        .map(|c| actual_field_cost(c, v.get(c.response_key()).unwrap_or(&Json::Null)))
        .sum()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn op(q: &str, vars: Json) -> Operation {
        parse(q, None, vars.as_object().unwrap()).unwrap()
    }

    #[test]
    fn variables_aliases_and_fragments_are_resolved() {
        let o = op(
            "query Q($n: Int!) { p: products(first: $n) { ...F } } fragment F on ProductConnection { nodes { id } }",
            json!({"n": 2}),
        );
        assert!(!o.is_mutation);
        let f = &o.fields[0];
        assert_eq!(f.response_key(), "p", "alias is the response key");
        assert_eq!(f.args["first"], json!(2), "variable resolved");
        assert_eq!(f.children[0].name, "nodes", "fragment inlined");
    }

    #[test]
    fn a_syntax_error_is_reported_with_its_location() {
        let err = parse("query { products(first: 1) { ", None, &Map::new()).unwrap_err();
        assert!(
            err.0["locations"][0]["line"].as_u64().is_some(),
            "{:?}",
            err.0
        );
    }

    #[test]
    fn connections_page_by_cursor_and_cost_counts_page_size() {
        let items: Vec<Json> = (0..5)
            .map(|i| json!({"__key": format!("{i:03}"), "id": i}))
            .collect();
        let full = json!({"things": {"__connection": items}});
        let o = op(
            "{ things(first: 2) { nodes { id } pageInfo { hasNextPage endCursor } } }",
            json!({}),
        );
        let page = project(&full, &o.fields);
        assert_eq!(page["things"]["nodes"], json!([{"id": 0}, {"id": 1}]));
        assert_eq!(page["things"]["pageInfo"]["hasNextPage"], json!(true));
        let cursor = page["things"]["pageInfo"]["endCursor"]
            .as_str()
            .unwrap()
            .to_string();
        let o2 = op(
            "query($c: String) { things(first: 10, after: $c) { nodes { id } pageInfo { hasNextPage } } }",
            json!({"c": cursor}),
        );
        let page2 = project(&full, &o2.fields);
        assert_eq!(
            page2["things"]["nodes"],
            json!([{"id": 2}, {"id": 3}, {"id": 4}])
        );
        assert_eq!(page2["things"]["pageInfo"]["hasNextPage"], json!(false));
        assert_eq!(
            requested_cost(&o2.fields, false),
            2 + 10,
            "2 + first × node cost"
        );
        assert_eq!(
            actual_cost(&o2.fields, false, &page2),
            2 + 3,
            "only returned nodes count"
        );
    }
}
