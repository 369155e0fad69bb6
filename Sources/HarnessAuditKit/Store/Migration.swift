/// A named schema change. Migrations run in order, each once, inside one transaction,
/// and are recorded in `schema_migrations`.
struct Migration: Sendable {
    let name: String
    let sql: String
}
