/// SQL clients, migration runners and data stores.
extension ShellAnalyzer {
    static let sqlClients: Set<String> = ["psql", "mysql", "mariadb", "sqlite3", "sqlite", "sqlcmd", "clickhouse-client",
                                          "clickhouse", "duckdb", "cockroach", "cqlsh", "snowsql", "bq", "isql", "osql",
                                          "usql", "pgcli", "mycli", "litecli", "trino", "presto", "spanner-cli", "vsql",
                                          "db2", "sqlplus", "mongosh", "mongo"]

    mutating func data(_ command: ResolvedCommand, stdin: ResolvedCommand?) -> Bool {
        let p = command.program
        let a = command.args
        if ShellAnalyzer.sqlClients.contains(p) {
            sqlClient(command, stdin: stdin)
            return true
        }
        switch p {
        case "dropdb":
            family(p, nil)
            add(.schema, "drops a database (dropdb)")
            add(.delete, "drops a database (dropdb)")
            if let name = a.positionals(valued: ["-h", "--host", "-U", "--username", "-p", "--port"]).last?.text {
                environmentName(name, kind: .database, source: "database")
            }
            if let host = a.value("-h", "--host") { environmentName(host, kind: .host, source: "database host") }
        case "mysqladmin", "mariadb-admin":
            // `mysqladmin -h prod-db -f drop shop`: drops a database; `create` makes one.
            family(p, nil)
            let positionals = a.positionals(valued: ["-h", "--host", "-u", "--user", "-P", "--port", "-S", "--socket"]).map(\.text)
            if let verb = positionals.first?.lowercased(), ["drop", "create"].contains(verb) {
                add(.schema, "\(verb == "drop" ? "drops" : "creates") a database (\(p) \(verb))")
                if verb == "drop" { add(.delete, "drops a database (\(p) drop)") }
                if positionals.count > 1 { environmentName(positionals[1], kind: .database, source: "database") }
            }
            if let host = a.value("-h", "--host") { environmentName(host, kind: .host, source: "database host") }
        case "createdb":
            family(p, nil)
            add(.schema, "creates a database (createdb)")
            if let host = a.value("-h", "--host") { environmentName(host, kind: .host, source: "database host") }
        case "pg_dump", "pg_dumpall", "mysqldump", "mongodump":
            family(p, nil)
            add(.read, "dumps a database (\(p))")
            if let host = a.value("-h", "--host") { environmentName(host, kind: .host, source: "database host") }
            if let output = a.value("-f", "--file", "-r", "--result-file", "-o", "--out") {
                file(output, "write", by: p)
                add(.write, "writes the dump to \(path(output))")
            }
        case "pg_restore", "mongorestore":
            family(p, nil)
            add(.write, "restores a database (\(p))")
            if a.has("-c", "--clean", "--drop") { add(.delete, "drops objects before restoring (\(p) --clean)") }
        case "redis-cli", "valkey-cli", "keydb-cli":
            family(p, nil)
            if let host = a.value("-h") { environmentName(host, kind: .host, source: "Redis host") }
            // `-u redis://cache.prod.internal:6379`, `-u "$PROD_REDIS_URL"`: the server by its URL.
            if let url = a.value("-u") {
                if let host = ShellAnalyzer.urlHost(url) {
                    environmentName(host, kind: .host, source: "Redis host")
                } else if url.hasPrefix("$") {
                    environmentName(String(url.drop { $0 == "$" || $0 == "{" }.prefix { $0.isLetter || $0.isNumber || $0 == "_" }),
                                    kind: .workspace, source: "Redis URL variable")
                }
            }
            let positionals = a.positionals(valued: ["-h", "-p", "-a", "-n", "-u", "--user", "--pass", "-s", "--tls",
                                                     "--cacert", "--cert", "--key", "-r", "-i"]).map { $0.text.uppercased() }
            // Commands on its input (`echo FLUSHALL | redis-cli`, a here-document): each line one command.
            var commands = positionals.first.map { [[$0] + positionals.dropFirst()] } ?? []
            if positionals.isEmpty, let text = command.stdinText ?? stdin.flatMap(ShellAnalyzer.pipedText) {
                commands = text.split(separator: "\n").map { $0.split(separator: " ").map { $0.uppercased() } }.filter { !$0.isEmpty }
            }
            for positionals in commands {
                let verb = positionals[0]
                switch verb {
                case "FLUSHALL", "FLUSHDB": add(.delete, "erases every key (\(p) \(verb))")
                case "DEL", "UNLINK": add(.delete, "deletes keys (\(p) \(verb))")
                case "CONFIG" where positionals.dropFirst().first == "SET": add(.write, "changes server configuration (\(p) CONFIG SET)")
                case "SET", "HSET", "LPUSH", "RPUSH", "SADD", "ZADD", "INCR", "EXPIRE": add(.write, "writes keys (\(p) \(verb))")
                case "GET", "HGETALL", "KEYS", "SCAN", "MGET", "HGET", "LRANGE", "SMEMBERS": add(.read, "reads keys (\(p) \(verb))")
                default: break
                }
            }
        default:
            if let runner = migrationRunner(command) {
                family(runner.family, nil)
                migration(runner, command)
                return true
            }
            return false
        }
        return true
    }

    /// Where a SQL client's statements come from, and what they do.
    mutating func sqlClient(_ command: ResolvedCommand, stdin: ResolvedCommand?) {
        let p = command.program
        let a = command.args
        family(p, nil)
        // Connection targets and their environment.
        for option in ["-h", "--host", "-S", "--server", "-H"] {
            if let host = a.value(option), !host.isEmpty { environmentName(host, kind: .host, source: "\(p) host") }
        }
        for option in ["-d", "--dbname", "-D", "--database", "--db"] {
            if let name = a.value(option) { environmentName(name, kind: .database, source: "\(p) database") }
        }
        var valued: Set<String> = ["-h", "--host", "-p", "--port", "-U", "--username", "-u", "--user", "-d", "--dbname",
                                   "-D", "--database", "-f", "--file", "-c", "--command", "-e", "--execute", "-v",
                                   "--set", "-P", "--pset", "-o", "--output", "-S", "--server", "-Q", "-q", "--query",
                                   "-i", "-W", "--password", "--defaults-file", "--init-command", "-F", "-R", "-T",
                                   "--eval", "--cmd", "-cmd", "-H", "--format", "--default-character-set"]
        if p == "sqlite3" || p == "sqlite" || p == "duckdb" { valued.remove("-c") }
        let positionals = a.positionals(valued: valued)
        for word in positionals {
            let text = word.text
            if text.contains("://") {
                let host = ShellAnalyzer.urlHost(text)
                if let host { environmentName(host, kind: .host, source: "\(p) URL host") }
                // `postgres://u@db/shop_prod?sslmode=require`: the database is the path (the target, as `-d shop_prod`
                // names it: a baseline authorizes it by name); a URL with none stays the target, its password masked.
                var database: Substring = ""
                if let scheme = text.range(ofASCII: "://"), let slash = text[scheme.upperBound...].firstIndex(of: "/") {
                    database = text[text.index(after: slash)...].prefix { $0 != "?" && $0 != "#" && $0 != "/" }
                }
                result.target(ActionTarget(.database, database.isEmpty ? ShellAnalyzer.redactedURL(text) : String(database)))
                if !database.isEmpty, let token = context.policy.production.match(String(database)) {
                    result.productionEvidence("\(p) URL database \(database) (\(token))")
                }
            } else if word.hasExpansion {
                for name in ShellAnalyzer.variableNames(in: text) {
                    environmentName(name, kind: .database, source: "\(p) connection variable")
                }
            }
        }
        // `psql "host=db-prod dbname=shop_prod"`, `psql service=shop_prod`: a libpq connection string names the
        // database, its host, or a service (a named entry of pg_service.conf, named after what it reaches).
        // (Only a word made of such pairs: SQL given as a positional, `sqlite3 m.db "… WHERE host='x'"`, is no connection string.)
        let conninfo = p == "sqlite3" || p == "sqlite" || p == "duckdb" || p == "litecli" ? [] : positionals + a.values("-d", "--dbname").map({ ShellWord(text: $0) })
        for word in conninfo where word.text.contains("=") && word.text.split(separator: " ").allSatisfy({ $0.contains("=") && !$0.hasPrefix("=") }) {
            for pair in word.text.split(separator: " ") {
                let value = String(pair.drop { $0 != "=" }.dropFirst()).filter { $0 != "'" }
                let key = pair.prefix { $0 != "=" }
                switch key {
                case "dbname", "service": environmentName(value, kind: .database, source: "\(p) \(key)")
                case "host", "hostaddr": environmentName(value, kind: .host, source: "\(p) host")
                default: break
                }
            }
        }
        // `psql shop_prod`, `mysql shop_prod -e …`: the first positional is the database.
        if ["psql", "mysql", "mariadb", "pgcli", "mycli", "mongosh", "mongo"].contains(p), let name = positionals.first?.text,
           !name.contains("://"), !name.contains("="), !positionals[0].hasExpansion {
            environmentName(name, kind: .database, source: "\(p) database")
        }
        var sources: [(String, String)] = []
        for flag in ["-c", "--command", "-e", "--execute", "-Q", "-q", "--query", "--eval", "-cmd", "--cmd"] {
            for value in a.values(flag) where !(p == "sqlite3" && flag == "-c") && !(p == "duckdb" && flag == "-c") {
                sources.append((value, "\(p) \(flag)"))
            }
        }
        if (p == "sqlite3" || p == "sqlite" || p == "duckdb" || p == "litecli") && positionals.count >= 2 {
            sources.append((positionals.dropFirst().map(\.text).joined(separator: " "), p))
        }
        if (p == "sqlite3" || p == "duckdb"), let database = positionals.first?.text {
            result.target(ActionTarget(.database, path(database)))
        }
        if (p == "bq"), let verb = positionals.first?.text {
            if verb == "query" { sources.append((positionals.dropFirst().map(\.text).joined(separator: " "), "bq query")) }
            if verb == "rm" { add(.delete, "deletes BigQuery tables or datasets (bq rm)"); add(.schema, "deletes BigQuery tables or datasets (bq rm)") }
            if verb == "mk" { add(.schema, "creates BigQuery tables or datasets (bq mk)") }
        }
        if let text = command.stdinText { sources.append((text, "\(p) here-document")) }
        // `echo … | base64 -d | psql`: the statements are encoded, so what ran cannot be read.
        if let stdin, ShellAnalyzer.isDecoder(stdin) {
            add(.obfuscated, "the statements \(p) runs are encoded (\(stdin.program))")
            add(.highRisk, "decodes statements and runs them (\(stdin.program) | \(p))")
        }
        if let stdin, stdin.program == "echo" || stdin.program == "printf" {
            // What it writes (`printf '%s\n' 'DROP TABLE users;'` writes its arguments, not its format).
            let text = ShellAnalyzer.pipedText(stdin) ?? stdin.args.positionals().map(\.text).joined(separator: " ")
            sources.append((text, "\(stdin.program) | \(p)"))
        } else if let stdin, stdin.program == "cat", let text = stdin.stdinText {
            sources.append((text, "here-document | \(p)"))
        }
        // `psql -f FILE`, and the same file fed to standard input (`psql < FILE`, `cat FILE | psql`).
        var scripts = a.value("-f", "--file", "-i").map { [$0] } ?? []
        if let file = command.inputFile { scripts.append(file) }
        if let stdin, stdin.program == "cat" || stdin.program == "gunzip" || stdin.program == "zcat", stdin.stdinText == nil {
            let files = stdin.args.positionals().map(\.text)
            scripts += files
            if files.isEmpty { add(.write, "runs a SQL script with \(p) (effect unknown)") }
        }
        for script in scripts where script != "-" {
            result.target(ActionTarget(.path, path(script), operation: "read"))
            // A SQL file the session wrote: its statements are what ran.
            if let content = context.scripts[path(script)], ScriptFiles.isSQLFile(script) {
                sources.append((content, "\(script), written earlier"))
                result.note("runs \(path(script)), a SQL file written earlier in the session: its statements are classified")
                continue
            }
            add(.write, "runs the SQL file \(path(script)) with \(p) (effect unknown)")
            if ShellAnalyzer.looksLikeMigration(script) { add(.schema, "runs the migration file \(script) with \(p)") }
        }
        if p == "mongosh" || p == "mongo" {
            for (text, origin) in sources {
                let lower = text.lowercased()
                if lower.contains("dropdatabase") || lower.contains(".drop(") { add(.delete, "drops MongoDB data via \(origin)"); add(.schema, "drops MongoDB collections via \(origin)") }
                else if lower.contains("deletemany({})") || lower.contains("remove({})") { add(.delete, "deletes every document via \(origin)") }
                else if lower.contains("insert") || lower.contains("update") || lower.contains("delete") { add(.write, "writes documents via \(origin)") }
            }
            return
        }
        for (text, origin) in sources where !text.trimmingSpaces.isEmpty {
            let statements = SQLClassifier.apply(text, origin: origin, to: &result)
            // `DROP DATABASE shop_prod`, `\c shop_prod`: the database a statement names is where it acts.
            for statement in statements where statement.verb.hasSuffix("DATABASE") || statement.verb.hasSuffix("SCHEMA") {
                for name in statement.tables { environmentName(name, kind: .database, source: "database") }
            }
            for line in text.split(separator: "\n") where line.hasPrefix("\\c ") || line.hasPrefix("\\connect ") || line.uppercased().hasPrefix("USE ") {
                if let name = line.split(separator: " ").dropFirst().first {
                    environmentName(String(name.filter { $0 != ";" && $0 != "`" && $0 != "\"" }), kind: .database, source: "database")
                }
            }
        }
        if sources.isEmpty && a.value("-f", "--file", "-i") == nil && stdin == nil
            && !command.hasInputRedirection {
            add(.remoteExec, "opens an interactive database session (\(p))")
        }
    }

    static func looksLikeMigration(_ path: String) -> Bool {
        let lower = path.lowercased()
        return lower.contains("migrat") || lower.contains("schema") || lower.contains("ddl")
    }

    static func redactedURL(_ url: String) -> String {
        guard let scheme = url.range(ofASCII: "://") else { return url }
        let rest = url[scheme.upperBound...]
        guard let at = rest.firstIndex(of: "@") else { return url }
        return String(url[..<scheme.upperBound]) + "***@" + rest[rest.index(after: at)...]
    }

    struct MigrationRunner {
        var family: String
        var description: String
        var destructive: Bool
    }

    /// Migration runners (DESIGN §3.1 `schema`): alembic, prisma, rails/rake, flyway, liquibase,
    /// Django, goose, atlas, knex, sequelize, typeorm, dbmate, golang-migrate, diesel, sqlx,
    /// Ecto, drizzle, Laravel.
    /// A migration runner's schema change, and the environment it names: `--env production`, `-e prod`,
    /// `--environment staging`, or a `RAILS_ENV=production` argument (rake and rails read them as variables).
    mutating func migration(_ runner: MigrationRunner, _ command: ResolvedCommand) {
        if runner.destructive { add(.delete, "\(runner.description) destroys data") }
        add(.schema, runner.description)
        if let environment = ShellAnalyzer.environmentOption(command.args) {
            environmentName(environment, kind: .workspace, source: "--env")
        }
        // alembic's configuration section (`-n production`), Django's database alias (`--database=production`).
        if command.program == "alembic", let section = command.args.value("-n", "--name") {
            environmentName(section, kind: .workspace, source: "alembic -n")
        }
        for alias in command.args.values("--database") where ShellAnalyzer.urlHost(alias) == nil && !alias.contains("=") {
            environmentName(alias, kind: .workspace, source: "--database")
        }
        // The database a variable on the command line points it at: `DATABASE_URL=$PROD_DATABASE_URL npx prisma …`,
        // `DATABASE_URL=postgres://app@db.internal/shop_prod …`, `DJANGO_SETTINGS_MODULE=config.settings.production`.
        // (Also one the line exported before it: `export DATABASE_URL=$PROD_DATABASE_URL; npx prisma migrate deploy`.)
        var databaseVariables = command.assignments
        for name in ["DATABASE_URL", "DB_URL", "DSN", "DJANGO_SETTINGS_MODULE"] where !command.assignments.contains(where: { $0.0 == name }) {
            if let value = variables[name] { databaseVariables.append((name, value)) }
        }
        for (name, value) in databaseVariables {
            if name == "DJANGO_SETTINGS_MODULE" { environmentName(value, kind: .workspace, source: name) }
            guard name.hasSuffix("DATABASE_URL") || name.hasSuffix("_DSN") || name == "DSN" || name == "DB_URL" else { continue }
            if value.hasPrefix("$") {
                let variable = String(value.drop { $0 == "$" || $0 == "{" }.prefix { $0.isLetter || $0.isNumber || $0 == "_" })
                environmentName(variable, kind: .workspace, source: name)
            } else {
                databaseURL(value, source: name)
            }
        }
        // `manage.py migrate --settings=app.settings.production`, `alembic -x env=prod upgrade head`.
        for settings in command.args.values("--settings") { environmentName(settings, kind: .workspace, source: "--settings") }
        for pair in command.args.values("-x") where pair.lowercased().hasPrefix("env=") || pair.lowercased().hasPrefix("environment=") {
            environmentName(String(pair.drop { $0 != "=" }.dropFirst()), kind: .workspace, source: "-x \(pair.prefix { $0 != "=" })")
        }
        // The database it is pointed at: `--url`, `-url=` (flyway), `-database` (migrate), `--database-url`,
        // `--dsn`, or a libpq key-value string (`goose postgres "host=prod-db …" up`).
        let urls = command.args.values("--url", "-url", "--database-url", "-database", "--database", "--db-url", "--dsn", "-dsn")
        for url in urls { databaseURL(url, source: "database URL") }
        // … or a variable that holds it, named for its environment (`-database "$PROD_DATABASE_URL"`,
        // `goose postgres "$PROD_DATABASE_URL" up`).
        for word in command.args.texts where word.hasPrefix("$") {
            let variable = String(word.drop { $0 == "$" || $0 == "{" }.prefix { $0.isLetter || $0.isNumber || $0 == "_" })
            let upper = variable.uppercased()
            if upper.contains("DATABASE") || upper.contains("DB_") || upper.hasSuffix("_DB") || upper.contains("DSN")
                || upper.hasSuffix("_URL") && (upper.contains("PG") || upper.contains("POSTGRES") || upper.contains("MYSQL")) {
                environmentName(variable, kind: .workspace, source: "database URL variable")
            }
        }
        // A target given as a URL (`sqitch deploy db:pg://prod-db/shop`).
        for word in command.args.texts where !word.hasPrefix("-") && word.contains("://") {
            databaseURL(word.hasPrefix("db:") ? String(word.dropFirst(3)) : word, source: "database URL")
        }
        for word in command.args.texts where word.contains("host=") {
            for part in word.split(separator: " ") where part.hasPrefix("host=") {
                environmentName(String(part.dropFirst(5)), kind: .host, source: "database host")
            }
        }
        let a = command.args
        for word in a.texts where !word.hasPrefix("-") {
            guard let equals = word.firstIndex(of: "="), equals != word.startIndex else { continue }
            let name = String(word[..<equals])
            guard name.allSatisfy({ $0.isUppercase || $0 == "_" || $0.isNumber }) else { continue }
            noteAssignment(name: name, value: ShellWord(text: String(word[word.index(after: equals)...])), standalone: false)
            if ShellAnalyzer.runModeVariables.contains(name) {
                environmentName(String(word[word.index(after: equals)...]), kind: .workspace, source: name)
            }
        }
        // `RAILS_ENV=production rails db:migrate`: for a migration, the run mode is the database it migrates.
        for (name, value) in command.assignments where ShellAnalyzer.runModeVariables.contains(name) {
            environmentName(value, kind: .workspace, source: name)
        }
    }

    /// A database URL's host and database (`postgres://app@db.internal/shop_prod`): production when either says so.
    mutating func databaseURL(_ url: String, source: String) {
        guard let host = ShellAnalyzer.urlHost(url) else { return }
        environmentName(host, kind: .host, source: source)
        if let database = ShellAnalyzer.urlDatabase(url) { environmentName(database, kind: .database, source: "\(source) database") }
    }

    /// Variables that choose a program's run mode: an environment to a migration, not to a build.
    static let runModeVariables: Set<String> = ["RAILS_ENV", "RACK_ENV", "NODE_ENV", "APP_ENV", "MIX_ENV", "FLASK_ENV", "DJANGO_ENV",
                                                "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT", "SPRING_PROFILES_ACTIVE", "APP_ENVIRONMENT"]

    /// The environment a runner is told to use: `--env X`, `--environment X`, `--env=X`, `-environment=X`
    /// (flyway), `-env=X`, or `-e X` as a whole word (`-eX` is something else to most tools).
    static func environmentOption(_ a: CommandArguments) -> String? {
        if let value = a.value("--env", "--environment", "-environment", "-env") { return value }
        let words = a.texts.prefix { $0 != "--" }
        guard let index = words.firstIndex(of: "-e"), index + 1 < words.endIndex else { return nil }
        return words[index + 1]
    }

    func migrationRunner(_ command: ResolvedCommand) -> MigrationRunner? {
        let p = command.program
        // Status, listing, planning, offline SQL and dry runs change nothing.
        var inert: Set<String> = ["--sql", "--plan", "--check", "--pretend", "--dry-run", "--create-only", "--dryrun", "-n",
                                  "--fake"]
        // (alembic's `-n`/`--name` names the configuration section: `alembic -n production upgrade head`.)
        if p == "alembic" { inert.remove("-n") }
        if command.args.texts.contains(where: { inert.contains($0) }) { return nil }
        let words = command.args.texts.map { $0.lowercased() }
        if words.contains(where: { $0.hasSuffix(":status") || $0.hasSuffix(":list") || $0.hasSuffix(":make") || $0 == "status"
            || $0 == "updatesql" || $0 == "update-sql" || $0.hasSuffix("sql") && $0.hasPrefix("update") || $0 == "history"
            || $0 == "info" || $0 == "validate" || $0.hasPrefix("migrate:make") || $0 == "new" || $0 == "create" }) {
            return nil
        }
        let texts = command.args.positionals(valued: ["-c", "--config", "-x", "--url", "-path", "-database", "--schema",
                                                      "--env", "-e", "--dir", "-d", "--settings", "--database", "-n", "--name",
                                                      "--app", "-A", "--target", "--alter", "--host", "-h", "--user", "-u",
                                                      "--password", "-p", "--port", "-P"]).map(\.text)
        let verb = texts.first ?? ""
        let second = texts.count > 1 ? texts[1] : ""
        switch p {
        case "alembic":
            if ["upgrade", "downgrade", "stamp"].contains(verb) {
                return MigrationRunner(family: "alembic \(verb)", description: "migrates the database schema (alembic \(verb))", destructive: verb == "downgrade")
            }
        case "prisma":
            if verb == "migrate" && ["deploy", "dev", "reset", "resolve"].contains(second) {
                return MigrationRunner(family: "prisma migrate \(second)", description: "migrates the database schema (prisma migrate \(second))", destructive: second == "reset")
            }
            if verb == "db" && second == "push" {
                return MigrationRunner(family: "prisma db push", description: "pushes the schema to the database (prisma db push)", destructive: command.args.has("--accept-data-loss", "--force-reset"))
            }
        case "rails", "rake", "bin/rails":
            if let task = texts.first(where: { $0.hasPrefix("db:") }),
               ["db:migrate", "db:rollback", "db:schema:load", "db:setup", "db:reset", "db:drop", "db:create",
                "db:migrate:redo", "db:migrate:down", "db:migrate:up", "db:prepare", "db:structure:load"].contains(where: { task.hasPrefix($0) }) {
                return MigrationRunner(family: "\(p) \(task)", description: "changes the database schema (\(p) \(task))",
                                       destructive: task.hasPrefix("db:drop") || task.hasPrefix("db:reset") || task.hasPrefix("db:rollback") || task.hasPrefix("db:schema:load"))
            }
        case "supabase":
            // `supabase db push` applies the migrations to the linked (remote) database; `db reset` recreates one from
            // them (the linked one with `--linked`, dropping its data); `migration up` applies pending ones.
            if verb == "db" && ["push", "reset"].contains(second) || verb == "migration" && ["up", "down"].contains(second) {
                let destructive = second == "reset" || second == "down"
                return MigrationRunner(family: "supabase \(verb) \(second)", description: "changes the database schema (supabase \(verb) \(second))",
                                       destructive: destructive)
            }
        case "sqitch":
            if ["deploy", "revert", "rebase", "checkout"].contains(verb) {
                return MigrationRunner(family: "sqitch \(verb)", description: "changes the database schema (sqitch \(verb))",
                                       destructive: verb != "deploy")
            }
        case "flask":
            if verb == "db", ["upgrade", "downgrade", "stamp"].contains(second) {
                return MigrationRunner(family: "flask db \(second)", description: "migrates the database schema (flask db \(second))",
                                       destructive: second == "downgrade")
            }
        case "pt-online-schema-change", "gh-ost":
            // Online schema changes run only with `--execute` (`--dry-run` and a bare run plan it).
            if command.args.has("--execute") {
                let alter = command.args.value("--alter") ?? ""
                return MigrationRunner(family: p, description: "alters a table online (\(p) --alter \(alter))",
                                       destructive: alter.uppercased().contains("DROP"))
            }
        case "flyway":
            if ["migrate", "clean", "repair", "undo", "baseline"].contains(verb) {
                return MigrationRunner(family: "flyway \(verb)", description: "changes the database schema (flyway \(verb))", destructive: verb == "clean" || verb == "undo")
            }
        case "liquibase":
            if verb.hasPrefix("update") || verb.hasPrefix("rollback") || verb == "dropAll" || verb == "drop-all" {
                return MigrationRunner(family: "liquibase \(verb)", description: "changes the database schema (liquibase \(verb))", destructive: verb.hasPrefix("rollback") || verb.lowercased().hasPrefix("drop"))
            }
        case "python", "python3", "manage.py", "django-admin":
            let args = p == "manage.py" || p == "django-admin" ? texts : Array(texts.drop { !$0.hasSuffix("manage.py") }.dropFirst())
            if let sub = args.first, ["migrate", "flush", "sqlflush", "reset_db"].contains(sub) {
                return MigrationRunner(family: "manage.py \(sub)", description: "changes the database (manage.py \(sub))", destructive: sub == "flush" || sub == "reset_db")
            }
        case "goose":
            if let sub = texts.first(where: { ["up", "up-by-one", "up-to", "down", "down-to", "redo", "reset"].contains($0) }) {
                return MigrationRunner(family: "goose \(sub)", description: "migrates the database schema (goose \(sub))", destructive: sub.hasPrefix("down") || sub == "reset")
            }
        case "atlas":
            if (verb == "migrate" && (second == "apply" || second == "down")) || (verb == "schema" && (second == "apply" || second == "clean")) {
                return MigrationRunner(family: "atlas \(verb) \(second)", description: "changes the database schema (atlas \(verb) \(second))", destructive: second == "clean" || second == "down")
            }
        case "knex", "sequelize", "sequelize-cli", "typeorm", "node-pg-migrate", "db-migrate", "umzug", "mikro-orm":
            let joined = texts.joined(separator: " ")
            if joined.contains("migrate") || joined.contains("migration:run") || joined.contains("migration:revert")
                || joined.contains("schema:sync") || joined.contains("schema:drop") || verb == "up" || verb == "down" {
                return MigrationRunner(family: "\(p) \(verb)", description: "migrates the database schema (\(p) \(verb))",
                                       destructive: joined.contains("undo") || joined.contains("revert") || joined.contains("drop") || verb == "down" || joined.contains("rollback"))
            }
        case "dbmate", "migrate", "diesel", "sqlx", "refinery", "sql-migrate", "tern", "shmig", "graphile-migrate", "squawk":
            let joined = texts.joined(separator: " ")
            if ["up", "down", "drop", "rollback", "migrate", "run", "redo", "force", "reset"].contains(where: { joined.contains($0) })
                && !["new", "create", "status", "generate"].contains(verb)
                // (`sqlx migrate add NAME`, `diesel migration generate`: a migration file written, not run.)
                && !["add", "info", "new", "create", "generate", "status", "list", "pending"].contains(second)
                && (p != "migrate" || command.args.value("-path", "-database") != nil || joined.contains("up") || joined.contains("down")) {
                return MigrationRunner(family: "\(p) \(verb)", description: "migrates the database schema (\(p) \(texts.prefix(2).joined(separator: " ")))",
                                       destructive: joined.contains("down") || joined.contains("drop") || joined.contains("rollback") || joined.contains("redo")
                                           || joined.contains("reset"))
            }
        case "mix":
            if ["ecto.migrate", "ecto.rollback", "ecto.reset", "ecto.drop", "ecto.setup"].contains(verb) {
                return MigrationRunner(family: "mix \(verb)", description: "changes the database schema (mix \(verb))", destructive: verb != "ecto.migrate" && verb != "ecto.setup")
            }
        case "drizzle-kit":
            // (`drizzle-kit drop` removes a migration file of the project: no database is touched.)
            if ["push", "migrate"].contains(verb) || verb.hasPrefix("push:") {
                return MigrationRunner(family: "drizzle-kit \(verb)", description: "changes the database schema (drizzle-kit \(verb))", destructive: false)
            }
        case "php", "artisan", "bin/console", "console" where texts.contains(where: { $0.hasPrefix("doctrine:") }):
            // Symfony's Doctrine commands (`php bin/console doctrine:migrations:migrate`); a schema update or drop only
            // with `--force` (without it, the SQL is printed).
            if let task = texts.first(where: { $0.hasPrefix("doctrine:") }) {
                let forced = command.args.has("--force", "-f")
                switch task {
                case "doctrine:migrations:migrate", "doctrine:migrations:execute", "doctrine:migrations:rollup":
                    return MigrationRunner(family: "doctrine \(task.dropFirst(9))", description: "migrates the database schema (\(task))",
                                           destructive: command.args.has("--down") || texts.contains("prev") || texts.contains("first"))
                case "doctrine:schema:update", "doctrine:schema:drop", "doctrine:database:drop", "doctrine:schema:create",
                     "doctrine:database:create":
                    guard forced || task.hasSuffix(":create") else { return nil }
                    return MigrationRunner(family: "doctrine \(task.dropFirst(9))", description: "changes the database schema (\(task))",
                                           destructive: task.hasSuffix(":drop"))
                default:
                    return nil
                }
            }
            fallthrough
        case "php", "artisan":
            let args = p == "artisan" ? texts : Array(texts.drop { !$0.hasSuffix("artisan") }.dropFirst())
            if let sub = args.first, sub.hasPrefix("migrate") || sub == "db:wipe" || sub == "schema:dump" && false {
                return MigrationRunner(family: "artisan \(sub)", description: "changes the database schema (artisan \(sub))",
                                       destructive: sub.contains("fresh") || sub.contains("rollback") || sub.contains("reset") || sub == "db:wipe")
            }
        case "mvn", "mvnw", "./mvnw", "gradle", "gradlew", "./gradlew":
            if let goal = command.args.texts.first(where: { ["flyway:migrate", "flyway:clean", "liquibase:update", "liquibase:rollback", "flywayMigrate", "flywayClean", "update"].contains($0) && $0 != "update" }) {
                return MigrationRunner(family: "\(p) \(goal)", description: "changes the database schema (\(p) \(goal))", destructive: goal.lowercased().contains("clean") || goal.contains("rollback"))
            }
        case "dotnet":
            if verb == "ef" && texts.dropFirst().prefix(2).joined(separator: " ") == "database update" {
                return MigrationRunner(family: "dotnet ef database update", description: "migrates the database schema (dotnet ef database update)", destructive: false)
            }
            if verb == "ef" && texts.dropFirst().prefix(2).joined(separator: " ") == "database drop" {
                return MigrationRunner(family: "dotnet ef database drop", description: "drops the database (dotnet ef database drop)", destructive: true)
            }
        default:
            break
        }
        return nil
    }
}
