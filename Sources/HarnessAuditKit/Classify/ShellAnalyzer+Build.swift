/// Test runners, package publishing, and named build-tool targets.
extension ShellAnalyzer {
    /// Options of test runners that list or collect tests without running them.
    static let testListingOptions: Set<String> = ["--collect-only", "--co", "--listTests", "--list-tests", "--list", "-list",
                                                  "--dry-run", "--dryrun", "--listtests", "--fixtures", "--list-files",
                                                  // Compiled, or skipped, but not run.
                                                  "--no-run", "-DskipTests", "-DskipTests=true", "-Dmaven.test.skip=true", "--exclude-task=test"]

    mutating func testRunner(_ name: String) {
        if listsTestsOnly {
            result.note("\(name) lists tests without running them")
            return
        }
        testRuns += 1
        add(.test, "runs tests (\(name))")
        result.target(ActionTarget(.testRunner, name))
    }

    /// The environment a deploy script's arguments point it at: `--env production`, `--stage=prod`, `ENV=prod`, or a word
    /// that is a production name on its own (`./deploy.sh production`).
    mutating func deployArguments(_ args: [String], runner: String) {
        let flags = ["--env", "--environment", "--stage", "--target", "--context", "--profile", "--cluster", "--namespace"]
        for (index, word) in args.enumerated() {
            let lower = word.lowercased()
            if flags.contains(lower), index + 1 < args.count {
                environmentName(args[index + 1], kind: .workspace, source: "\(runner) \(word)")
            } else if let flag = flags.first(where: { lower.hasPrefix($0 + "=") }) {
                environmentName(String(word.dropFirst(flag.count + 1)), kind: .workspace, source: "\(runner) \(flag)")
            } else if let equals = word.firstIndex(of: "="), ShellAnalyzer.environmentVariableNames.contains(word[..<equals].lowercased()) {
                environmentName(String(word[word.index(after: equals)...]), kind: .workspace, source: "\(runner) \(word[..<equals])")
            } else if !word.hasPrefix("-"), word.count <= 40, index == 0 || !args[index - 1].hasPrefix("-"),
                      word.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }),
                      context.policy.production.match(word) != nil {
                environmentName(word, kind: .workspace, source: runner)
            }
        }
    }

    /// A script run by its path whose name says it deploys: `./scripts/deploy.sh`, `bin/release`, `rollout-prod.sh`.
    static func isDeployScript(_ written: String) -> Bool {
        // Every command no analyser claimed comes here: the words are looked for before anything is built.
        guard ["deploy", "release", "rollout", "promote", "Deploy", "Release", "DEPLOY"].contains(where: { written.containsASCII($0) })
        else { return false }
        guard let stem = scriptStem(written) else { return false }
        let tokens = ProductionDetector.tokenize(stem)
        let words = Set(tokens)
        guard words.isDisjoint(with: ["notes", "dry", "preview", "plan", "check", "build", "lint", "test", "semantic", "changelog",
                                      "verify", "validate", "bump", "tag"]) else { return false }
        // `release` alone names a deploy only as the script's first word (`release.sh`, `release-prod.sh`).
        return !words.isDisjoint(with: ["deploy", "rollout", "promote"]) || tokens.first == "release"
    }

    /// What a script or make target name suggests: `test`, `deploy:prod`, `migrate`.
    mutating func scriptName(_ name: String, runner: String) {
        let lower = name.lowercased()
        let tokens = Set(ProductionDetector.tokenize(lower))
        if tokens.contains("dry") || tokens.contains("dryrun") || tokens.contains("preview") || tokens.contains("plan") {
            result.note("\(runner) \(name) looks like a dry run")
            return
        }
        if ShellAnalyzer.testRunnerNames.contains(lower) {
            testRunner("\(runner) \(name)")
            return
        }
        if tokens.contains("test") || tokens.contains("tests") || tokens.contains("spec") || lower.hasPrefix("test")
            || tokens.contains("e2e") || tokens.contains("check") && runner == "make" || tokens.contains("ci") && lower.contains("test") {
            testRunner("\(runner) \(name)")
        } else if tokens.contains("deploy") || tokens.contains("release") && !tokens.contains("notes") || tokens.contains("ship")
                    || tokens.contains("publish") {
            add(.deploy, "runs the \(name) script (\(runner) \(name))")
            if let token = context.policy.production.match(name) {
                result.productionEvidence("script \(name) (\(token))")
                result.target(ActionTarget(.workspace, name))
            }
        } else if tokens.contains("migrate") || tokens.contains("migration") || tokens.contains("migrations")
                    || lower.hasPrefix("db:migrate") || tokens.contains("schema") && (tokens.contains("push") || tokens.contains("apply"))
                    // `db:push` (drizzle, prisma), `db:reset`, `db:drop`, `db:setup`: the project's database scripts.
                    || (tokens.contains("db") || tokens.contains("database"))
                        && ["push", "reset", "drop", "setup", "deploy", "sync", "rollback"].contains(where: tokens.contains) {
            add(.schema, "runs the \(name) script (\(runner) \(name))")
            if ["reset", "drop", "rollback"].contains(where: tokens.contains) {
                add(.delete, "runs the \(name) script (\(runner) \(name)), which destroys data")
            }
            if let token = context.policy.production.match(name) {
                result.productionEvidence("script \(name) (\(token))")
                result.target(ActionTarget(.workspace, name))
            }
        }
    }

    static let testRunnerNames: Set<String> = ["jest", "vitest", "mocha", "ava", "tap", "karma", "jasmine", "pytest",
                                               "rspec", "phpunit", "playwright", "cypress", "ctest", "tox", "nox", "bats"]

    mutating func build(_ command: ResolvedCommand) -> Bool {
        let p = command.program
        let a = command.args
        let positionals = a.positionals(valued: ["-C", "--directory", "-f", "--file", "--prefix", "-w", "--workspace",
                                                 "--filter", "-F", "-p", "--package", "-j", "--jobs", "--cwd", "-P",
                                                 "--project-dir", "-t", "--target", "--config", "-c", "-k", "-m", "--registry",
                                                 "--otp", "--userconfig", "--tag", "--access", "--scope", "--loglevel",
                                                 "--workspace-root", "--dir"]).map(\.text)
        let verb = positionals.first ?? ""
        switch p {
        case "npm", "yarn", "pnpm", "bun", "cnpm":
            family(p, verb)
            // `npm install --strict-ssl=false`, `npm set strict-ssl false`
            for option in a.texts where option.hasPrefix("--strict-ssl=") || option == "--no-strict-ssl" {
                tlsVerificationOff(option == "--no-strict-ssl" ? "strict-ssl=false" : String(option.dropFirst(2)), by: p)
            }
            // `npm set strict-ssl false`, `npm config set strict-ssl=false`, `yarn config set strict-ssl false`
            let setting = verb == "set" ? positionals.dropFirst(1) : verb == "config" && positionals.dropFirst().first == "set" ? positionals.dropFirst(2) : []
            if let key = setting.first {
                tlsVerificationOff(key.contains("=") ? key : key + "=" + (setting.dropFirst().first ?? ""), by: "\(p) \(verb) set")
            }
            // `yarn workspace @acme/api test`, `yarn workspaces foreach -A run test`: the workspace's own command.
            var verb = verb
            var positionals = positionals
            if p == "yarn", verb == "workspace" || verb == "workspaces", positionals.count >= 3 {
                positionals = Array(positionals.dropFirst(2))
                verb = positionals[0]
            }
            switch verb {
            case "test", "t", "tst", "cit", "install-test", "it":
                testRunner("\(p) \(verb)")
            case "run", "run-script":
                if positionals.count > 1 {
                    scriptName(positionals[1], runner: "\(p) run")
                    // `npm run deploy -- --env production`: the script's own arguments name where it deploys.
                    if result.classes.contains(.deploy), let dashes = a.texts.firstIndex(of: "--") {
                        deployArguments(Array(a.texts[(dashes + 1)...]), runner: "\(p) run \(positionals[1])")
                    }
                }
            case "publish":
                if a.isDryRun { result.note("\(p) publish --dry-run publishes nothing"); return true }
                add(.highRisk, "publishes a package to a registry (\(p) publish)")
                add(.network, "publishes to a registry (\(p) publish)")
            case "unpublish", "deprecate":
                add(.highRisk, "removes or deprecates a published package (\(p) \(verb))")
                add(.delete, "removes a published package version (\(p) \(verb))")
            case "exec", "dlx", "x":
                break
            case "deploy" where p == "pnpm":
                // pnpm's own `deploy`: copies a workspace package and its dependencies into a folder.
                result.note("pnpm deploy copies a workspace package into a folder; it deploys nothing")
            case "token" where a.texts.dropFirst().first == "create":
                // `npm token create`: a registry token that does not expire.
                add(.credential, "creates a registry token that does not expire (\(p) token create)")
                result.target(ActionTarget(.credential, "\(p) token", operation: "mint", lifetimeSeconds: Int64.max / 2))
            case "install", "i", "add", "ci", "update", "upgrade", "remove", "uninstall", "rm", "audit", "outdated",
                 "ls", "list", "view", "info", "init", "link", "pack", "config", "whoami", "login", "logout", "cache":
                if verb == "config" && (a.texts.contains("get") || a.texts.contains("list")) && a.texts.contains(where: { $0.contains("token") || $0.contains("auth") }) {
                    add(.sensitiveRead, "reads registry credentials (\(p) config get)")
                }
            default:
                guard p != "npm", !verb.isEmpty else { break }
                // yarn, pnpm and bun run a package binary or a script by name.
                let before = result.classes
                if depth < ShellAnalyzer.maximumDepth {
                    depth += 1
                    let rest = CommandArguments(Array(a.words.drop { $0.text != verb }.dropFirst()))
                    run(ResolvedCommand(program: verb, args: rest, written: verb), stdin: nil, upstreamAll: [],
                        source: ShellCommand())
                    depth -= 1
                }
                if result.classes == before { scriptName(verb, runner: p) }
            }
        case "make", "gmake", "just", "task", "mage", "invoke", "inv", "nx", "turbo", "lerna", "rake", "gulp", "grunt":
            family(p, verb)
            var targets = p == "nx" || p == "turbo" || p == "lerna" ? Array(positionals.dropFirst()) + [verb] : positionals
            // `nx run-many -t test lint`, `nx affected --target=test`, `nx run api:test`: the targets it runs.
            if p == "nx" || p == "turbo" {
                targets += a.values("-t", "--target", "--targets").flatMap { $0.split(separator: ",").map(String.init) }
                targets += targets.compactMap { $0.contains(":") ? $0.split(separator: ":").last.map(String.init) : nil }
            }
            if p == "make" || p == "gmake", a.hasShort("n") || a.has("--dry-run", "--just-print", "--recon") {
                result.note("make -n prints commands without running them")
                return true
            }
            // `lerna publish`: Lerna's own command, which publishes the workspace's packages to a registry.
            if p == "lerna" && verb == "publish" {
                if a.has("--no-push") && a.has("--skip-npm") || a.isDryRun { return true }
                add(.highRisk, "publishes packages to a registry (lerna publish)")
                add(.network, "publishes to a registry")
                return true
            }
            for target in targets where !target.contains("=") { scriptName(target, runner: p) }
            // `make deploy ENV=prod`, `just deploy stage=production`: for a deploy or migration target, the variables name
            // the environment (`make build ENV=production` builds; it changes nothing there).
            let deploys = targets.contains { target in
                ["deploy", "release", "rollout", "migrate", "publish", "promote", "apply", "destroy"].contains { target.lowercased().contains($0) }
            }
            for assignment in targets where deploys && assignment.contains("=") {
                let parts = assignment.split(separator: "=", maxSplits: 1).map(String.init)
                if parts.count == 2, ShellAnalyzer.environmentVariableNames.contains(parts[0].lowercased()) {
                    environmentName(parts[1], kind: .workspace, source: "\(p) \(parts[0])")
                }
            }
        case "xcodebuild":
            family("xcodebuild", positionals.first)
            if positionals.contains("test") || positionals.contains("test-without-building") { testRunner("xcodebuild test") }
        case "php", "artisan", "rails", "bin/rails":
            let args = p == "php" ? Array(positionals.drop { !$0.hasSuffix("artisan") }.dropFirst()) : positionals
            family(p, args.first)
            if let first = args.first, first == "test" || first.hasPrefix("test:") || first == "spec" {
                testRunner("\(p) \(first)")
            } else if let first = args.first, p == "rake" || p == "rails" || p == "bin/rails", first.hasPrefix("db:") {
                if let runner = migrationRunner(command) {
                    migration(runner, command)
                }
            } else if p == "php" || p == "artisan", let runner = migrationRunner(command) {
                migration(runner, command)
            } else if p != "php" {
                return false
            }
        case "pytest", "py.test", "tox", "nox", "jest", "vitest", "mocha", "ava", "tap", "karma", "jasmine", "cypress",
             "playwright", "rspec", "phpunit", "pest", "ctest", "behave", "cucumber", "robot", "nosetests", "ward", "hypothesis",
             "vendor/bin/phpunit", "trial", "green", "testem", "bats", "busted", "prove", "minitest", "gotestsum", "ginkgo",
             "richgo", "gotest", "cargo-nextest":
            if (p == "cypress" || p == "playwright") && verb != "run" && verb != "test" { family(p, verb); return true }
            family(p, nil)
            testRunner(p)
        case "go", "cargo", "swift", "dotnet", "deno", "mix", "stack", "cabal", "zig", "dart", "flutter", "sbt", "lein",
             "bazel", "bazelisk", "buck2", "pants", "elixir", "gleam", "crystal", "nim", "julia", "v", "raco", "scala-cli":
            family(p, verb)
            let testVerbs: Set<String> = ["test", "nextest", "t", "check" ]
            if testVerbs.contains(verb) && !(p == "cargo" && verb == "check") && !(p == "go" && verb == "check") || (p == "cargo" && verb == "nextest")
                || p == "zig" && verb == "build" && positionals.dropFirst().contains("test") {
                testRunner("\(p) \(verb)")
            } else if verb == "publish" && p != "dotnet" || (p == "dotnet" && verb == "nuget" && positionals.dropFirst().first == "push")
                        || (p == "mix" && verb == "hex.publish") {
                // (`dotnet publish` builds into a local folder; `dotnet nuget push` publishes.)
                if a.isDryRun { result.note("\(p) publish --dry-run publishes nothing"); return true }
                add(.highRisk, "publishes a package to a registry (\(p) \(verb))")
                add(.network, "publishes to a registry")
            } else if p == "dotnet" || p == "mix" {
                if let runner = migrationRunner(command) {
                    migration(runner, command)
                }
            }
        case "mvn", "mvnw", "./mvnw", "gradle", "gradlew", "./gradlew":
            family(p.replacingAll("./", with: ""), verb)
            // Gradle's `build` and Maven's `package`, `install` and `verify` run the tests on the way, unless told not to.
            let skipsTests = a.texts.contains { ($0 == "-DskipTests" || $0.hasPrefix("-DskipTests=") || $0.hasPrefix("-Dmaven.test.skip"))
                                                && !$0.hasSuffix("=false") }
                || a.values("-x", "--exclude-task").contains { $0 == "test" || $0 == "check" }
            let gradle = p.contains("gradle")
            let excluded = Set(a.values("-x", "--exclude-task"))
            let positionals = positionals.filter { !excluded.contains($0) }
            let buildsTested = !skipsTests && positionals.contains { gradle ? $0 == "build" : ["package", "install", "verify"].contains($0) }
            if buildsTested || positionals.contains(where: { ["test", "verify", "check", "integrationTest", "connectedCheck"].contains($0) || $0.hasSuffix(":test") || $0.hasSuffix("Test") }) {
                testRunner("\(p) \(positionals.first { ["test", "verify", "check", "build", "package", "install"].contains($0) } ?? "test")")
            }
            if positionals.contains("deploy") || positionals.contains("publish") || positionals.contains(where: { $0.hasPrefix("publish") }) {
                add(.highRisk, "publishes artifacts to a repository (\(p) \(positionals.first { $0 == "deploy" || $0.hasPrefix("publish") } ?? "deploy"))")
            }
        case "changeset", "changesets", "semantic-release", "release-it":
            // Release tools that publish to the registry: `changeset publish`, `semantic-release` (unless a dry run),
            // `release-it` (which also pushes a tag).
            family(p, verb)
            guard p != "changeset" && p != "changesets" || verb == "publish" else { return true }
            if a.isDryRun { result.note("\(p) --dry-run publishes nothing"); return true }
            add(.highRisk, "publishes a release to a registry (\(p)\(p.hasPrefix("changeset") ? " publish" : ""))")
            add(.network, "publishes to a registry")
        case "twine", "gem", "poetry", "flit", "hatch", "uv", "maturin", "vsce", "ovsx", "helm-push":
            family(p, verb)
            if (p == "twine" && verb == "upload") || (p == "gem" && verb == "push") || (p == "poetry" && verb == "publish")
                || (p == "flit" && verb == "publish") || (p == "hatch" && verb == "publish") || (p == "uv" && verb == "publish")
                || (p == "maturin" && verb == "publish") || ((p == "vsce" || p == "ovsx") && verb == "publish") {
                add(.highRisk, "publishes a package to a registry (\(p) \(verb))")
                add(.network, "publishes to a registry")
            } else if p == "gem" && verb == "yank" {
                add(.delete, "removes a published gem version (gem yank)")
                add(.highRisk, "removes a published gem version (gem yank)")
            } else if p == "hatch" && verb == "test" {
                testRunner("hatch test")
            }
        default:
            if ShellAnalyzer.isTestScript(p) || ShellAnalyzer.isTestScript(command.written) {
                family(p, nil)
                testRunner(ShellAnalyzer.basename(command.written))
                return true
            }
            // `./scripts/deploy.sh production`: a deploy script, pointed where its arguments say.
            if ShellAnalyzer.isDeployScript(command.written) {
                family(p, nil)
                add(.deploy, "runs the deploy script \(command.written)")
                deployArguments(a.texts, runner: command.written)
                return true
            }
            return false
        }
        return true
    }
}
