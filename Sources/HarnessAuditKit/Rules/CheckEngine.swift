import CSQLite
#if canImport(Glibc)
import Glibc
#endif
/// Runs the rules: opens the store read-only, registers the baseline-aware SQL functions,
/// builds the action model, runs every enabled rule, and turns rows into findings; then
/// applies the baseline's authorizations and severities, the waivers and `--new-only`.
public enum CheckEngine {
    /// Columns every rule must return.
    public static let requiredColumns = ["evidence", "session_id", "subject", "reason"]
    /// Columns with a meaning; any other column is kept as a property of the finding.
    public static let knownColumns: Set<String> = [
        "evidence", "evidence_refs", "session_id", "subject", "reason", "ts", "target", "targets", "command", "agent",
        "actor", "principal", "host", "repo", "anchor_id", "cwd", "tool",
    ]
    /// Parameters rules may use.
    public static let parameters: Set<String> = [":since", ":until", ":now", ":max_token_lifetime", ":gap_window_ms"]
    /// `:gap_window_ms`: how far apart in time a Kubernetes request and the harness call that made it may be.
    public static let gapWindowMillis: Int64 = 600_000

    /// Runs every enabled rule over the window of `options`.
    public static func run(_ options: CheckOptions) throws(HarnessAuditError) -> CheckResult {
        // A window is asked for only when the options bound it: the model then skips indexing time.
        try CheckSession(options, windowed: options.since != nil || options.until != nil).run()
    }

    /// Rule ids and categories named by the baseline and the waivers must exist: a typo would
    /// otherwise silently disable nothing or waive nothing.
    static func validateReferences(_ options: CheckOptions, rules: [Rule]) throws(HarnessAuditError) {
        let known = Set(rules.map(\.id) + RuleMetadata.categories + DriftRules.all.map(\.id) + DriftRules.categories)
        try options.baseline.validateReferences(rules: rules)
        for waiver in options.waivers.waivers {
            if let rule = waiver.rule, !known.contains(rule) {
                throw .invalidConfiguration(file: options.waivers.file ?? "waivers", line: waiver.line, column: nil,
                                            message: "`\(rule)` is neither a rule id nor a category (see `harness-audit rules list`)")
            }
        }
    }

    static func order(_ a: Finding, _ b: Finding) -> Bool {
        if a.severity != b.severity { return a.severity > b.severity }
        if (a.ts ?? 0) != (b.ts ?? 0) { return (a.ts ?? 0) < (b.ts ?? 0) }
        if a.rule != b.rule { return a.rule < b.rule }
        return a.id < b.id
    }

    // MARK: SQL functions

    /// Whether the store, read afresh, no longer has a source in the middle of an ingest by `claim`.
    static func claimEndedSinceSnapshot(_ claim: String, path: String) -> Bool {
        guard !path.isEmpty, path != ":memory:", let fresh = try? Database(path: path, access: .readOnly),
              let rows = try? fresh.rows("SELECT count(*) FROM sources WHERE owner = ? AND state = 'ingesting'", [.text(claim)])
        else { return false }
        return rows.first?[0].int64 == 0
    }

    /// The functions rule SQL calls; the baseline configures them (its values never become SQL text).
    /// The principals harness logs name: an agent's, whatever its name says (`ha_agent_principal`).
    static func harnessPrincipals(_ db: Database) throws(HarnessAuditError) -> Set<String> {
        Set(try db.rows("""
            SELECT DISTINCT c.principal FROM contexts c WHERE c.principal <> '' AND c.agent <> 'kubernetes'
            """).compactMap { $0[0].text })
    }

    /// `harnessPrincipals`: as read from `db` unless given (connections that run rules beside the check's
    /// own take its answer, so every connection judges principals alike).
    static func registerFunctions(_ db: Database, baseline: Baseline,
                                  harnessPrincipals: Set<String>? = nil) throws(HarnessAuditError) {
        let policy = baseline.classificationPolicy
        try db.registerBitOr()
        try ActionAggregates.register(db)
        try db.registerBitTest("ha_has", bits: ActionClasses.all.map { ($0.1, $0.0.rawValue) })
        try db.registerCodeName("ha_mode", names: PermissionMode.allCases.map { ($0.name, Int64($0.rawValue)) })
        try db.registerFunction("ha_mode_of", arity: 1) { args in
            guard let raw = args[0].text, !raw.isEmpty else { return .null }
            return .text(PermissionMode.normalize(raw).name)
        }
        // Whether the ingest that claimed a source (`sources.owner`, `sources.heartbeat`) still runs.
        let host = SourcePlanner.hostName(), path = db.path
        try db.registerFunction("ha_ingest_running", arity: 2, deterministic: false) { args in
            guard let claim = args[0].text else { return .integer(0) }
            // As ingest judges a claim: on this machine by its process (an ingest waiting on a quiet pipe still runs).
            // One that ended after this connection's snapshot was taken (the store now says the file is done) was
            // running then: what the check reads holds that file in part, as being ingested, not cut short.
            let live = SourcePlanner.claimIsLive(claim, heartbeat: args[1].int64, host: host)
                || CheckEngine.claimEndedSinceSnapshot(claim, path: path)
            return .integer(live ? 1 : 0)
        }
        try db.registerFunction("ha_duration", arity: 1) { args in
            guard let seconds = args[0].int64 else { return .null }
            return .text(CheckEngine.duration(seconds))
        }
        try db.registerCodeName("ha_format", names: LogFormat.allCases.map { ($0.id, Int64($0.rawValue)) })
        try db.registerCodeName("ha_kind", names: EventKind.allCases.map { ($0.name, Int64($0.rawValue)) })
        let flagNames: [(String, EventFlags)] = [
            ("call_id_inferred", .callIDInferred), ("no_timestamp", .noTimestamp), ("chain_verified", .chainVerified),
            ("chain_mismatch", .chainMismatch), ("chain_unverified", .chainUnverified), ("duplicate_keys", .duplicateKeys),
            ("invalid_field", .invalidField), ("subagent", .subagent), ("sandbox_escalation", .sandboxEscalation),
            ("decision_inferred", .decisionInferred),
            ("result_targets", .resultTargets),
        ]
        try db.registerBitTest("ha_flag", bits: flagNames.map { ($0.0, $0.1.rawValue) })
        try db.registerFunction("ha_inside", arity: 2) { args in
            guard let path = args[0].text, let root = args[1].text, path.hasPrefix("/"), root.hasPrefix("/") else { return .integer(0) }
            return .integer(PathNormalizer.isInside(path, root: root) ? 1 : 0)
        }
        let sensitiveVerdicts = BoundedMemo<String?>(capacity: 200_000)
        // Absolute paths, `~/…` (the home was not known when the action was logged) and bare relative
        // names; not remote `host:/path` targets.
        func sensitive(_ path: String) -> String? {
            guard !path.isEmpty else { return nil }
            return sensitiveVerdicts.value(for: path) { path in
                if path == "~" || path.hasPrefix("~/") { return policy.sensitivePaths.match(path, home: "~") }
                let windows = PathNormalizer.isWindows(path)
                if !windows, let colon = path.firstIndex(of: ":"), !path[..<colon].contains("/") { return nil }
                return policy.sensitivePaths.match(path, home: path.hasPrefix("/") || windows ? PathNormalizer.inferHome(from: path) : nil)
            }
        }
        try db.registerFunction("ha_sensitive", arity: 1) { args in .optional(args[0].text.flatMap(sensitive)) }
        // Names and principals repeat across every action of a fleet: each is tokenized once per connection.
        let productionVerdicts = BoundedMemo<String?>(capacity: 100_000)
        try db.registerFunction("ha_production", arity: 1) { args in
            guard let name = args[0].text, !name.isEmpty else { return .null }
            return .optional(productionVerdicts.value(for: name) { policy.production.match($0) })
        }
        try db.registerFunction("ha_protected", arity: 1) { args in
            guard let branch = args[0].text else { return .integer(0) }
            return .integer(policy.protectedBranches.isProtected(branch) ? 1 : 0)
        }
        try db.registerFunction("ha_glob", arity: 2) { args in
            guard let pattern = args[0].text, let text = args[1].text else { return .integer(0) }
            return .integer(GlobPattern(pattern).matches(text) ? 1 : 0)
        }
        let roots = baseline.allowedWriteRoots
        /// 1 outside the workspace, 0 inside, nil for what is not a local path.
        func outsideScope(_ raw: String?, _ cwd: String?, _ sessionCwd: String?, _ writableRoots: String?) -> Int64? {
            // `~/…` whose home is unknown (the workspace is not under a home): outside the workspace.
            if let raw, raw == "~" || raw.hasPrefix("~/") { return 1 }
            let base = [cwd, sessionCwd].first { $0.map { $0.hasPrefix("/") || PathNormalizer.isWindows($0) } ?? false } ?? nil
            let known = base != nil
            // A relative path of a call that named no directory (OTel exports) is the session's: `../other-repo/src`
            // leaves its workspace. (Paths of calls that named one were resolved there when classified.)
            var path = raw
            if let raw, let base, !raw.hasPrefix("/"), !raw.hasPrefix("$"), !PathNormalizer.isWindows(raw) {
                path = PathNormalizer.absolute(raw, cwd: base, home: nil)
            }
            // With no working directory logged (OTel exports), `../other-repo` still leaves it, whatever it is.
            if let path, !known, path == ".." || path.hasPrefix("../") { return 1 }
            guard let path, path.hasPrefix("/") || PathNormalizer.isWindows(path) else { return nil }
            if PathNormalizer.isPseudoFile(path) || path.hasPrefix("/dev/") || path.hasPrefix("/proc/") { return 0 }
            // macOS's per-user temporary directory (`$TMPDIR`: `/var/folders/zz/…/T/`), as `/tmp` is.
            if path.hasPrefix("/var/folders/") || path.hasPrefix("/private/var/folders/"),
               path.split(separator: "/").dropFirst(path.hasPrefix("/private/") ? 5 : 4).first == "T" {
                return 0
            }
            // With no working directory logged, only what no workspace can be: the system's directories and a home's
            // hidden files (`/etc/hosts`, `~/.bashrc`, `/root/.ssh/…`), unless the baseline or the harness allows them.
            if !known {
                let allowed = (writableRoots?.split(separator: "\n").map(String.init) ?? []).contains { PathNormalizer.isInside(path, root: $0) }
                    || roots.contains { PathNormalizer.isInside(path, rootPattern: PathNormalizer.absolute($0, cwd: nil, home: PathNormalizer.inferHome(from: path))) }
                return !allowed && PathNormalizer.outsideAnyWorkspace(path) ? 1 : 0
            }
            let home = PathNormalizer.inferHome(from: cwd) ?? PathNormalizer.inferHome(from: sessionCwd)
            var inside: [String] = []
            for value in [cwd, sessionCwd] {
                if let value, value.hasPrefix("/") || PathNormalizer.isWindows(value) { inside.append(value) }
            }
            if let writableRoots { inside += writableRoots.split(separator: "\n").map(String.init) }
            // Windows: the user's temporary directory.
            if let home, PathNormalizer.isWindows(home) { inside.append(home + "/AppData/Local/Temp") }
            if inside.contains(where: { PathNormalizer.isInside(path, root: $0) }) { return 0 }
            // The baseline's roots, which may be globs.
            return roots.contains { PathNormalizer.isInside(path, rootPattern: PathNormalizer.absolute($0, cwd: nil, home: home)) } ? 0 : 1
        }
        try db.registerFunction("ha_outside_scope", arity: 4) { args in
            .optional(outsideScope(args[0].text, args[1].text, args[2].text, args[3].text))
        }
        let targets = TargetSelection(isSensitive: { sensitive($0) != nil },
                                      isOutside: { outsideScope($0, $1, nil, $2) == 1 })
        try db.registerFallibleFunction("ha_targets", arity: -1) { args throws(Database.FunctionFailure) in try targets.select(args) }
        let listed = baseline.agentPrincipals, excluded = baseline.nonAgentPrincipals
        let named: Set<String>
        if let harnessPrincipals { named = harnessPrincipals } else { named = try CheckEngine.harnessPrincipals(db) }
        let agentPrincipals = BoundedMemo<Bool>(capacity: 100_000)
        try db.registerFunction("ha_agent_principal", arity: 1) { args in
            guard let principal = args[0].text, !principal.isEmpty else { return .integer(0) }
            let agent = agentPrincipals.value(for: principal) { CheckEngine.isAgentPrincipal($0, listed: listed, excluded: excluded, harness: named) }
            return .integer(agent ? 1 : 0)
        }
        // `unowned`: the connection holds the function, which must not keep the connection alive (it would never
        // close, nor end its read transaction).
        try db.registerFunction("ha_raw_sha256", arity: 2, deterministic: false) { [unowned db] args in
            guard let source = args[0].int64, let line = args[1].int64,
                  let bytes = try? RawLines.line(in: db, sourceID: source, line: line) else { return .null }
            var content = bytes
            if content.last == 0x0D { content.removeLast() }
            return .text(SHA256Digest.hex(SHA256Digest.digest(content)))
        }
    }

    /// A lifetime for people: `365 days`, `8 h`, `1 h 30 min`, `45 min`, `3601 s`.
    static func duration(_ seconds: Int64) -> String {
        if seconds >= 172_800 && seconds % 86_400 == 0 { return "\(seconds / 86_400) days" }
        if seconds >= 3600 && seconds % 3600 == 0 { return "\(seconds / 3600) h" }
        if seconds % 60 == 0 {
            return seconds >= 3600 ? "\(seconds / 3600) h \(seconds % 3600 / 60) min" : "\(seconds / 60) min"
        }
        return "\(seconds) s"
    }

    /// Words of a service account's name or namespace that say it is an AI agent's.
    static let agentWords: Set<String> = ["agent", "agents", "ai", "llm", "claude", "codex", "gemini", "copilot", "cursor",
                                          "aider", "devin", "mcp"]
    /// The words that are the AI's own: with one of them, an account is an agent's whatever else its name says.
    static let aiWords = agentWords.subtracting(["agent", "agents"])
    /// Vendors whose Kubernetes "agents" watch, secure, ship logs or build, cluster-wide and by design: `datadog-agent`,
    /// `vault-agent-injector`, `grafana-agent`, `dynatrace-oneagent`, `gitlab-agent`, `jenkins-agent`, `ama-logs` …
    static let infrastructureWords: Set<String> = [
        "datadog", "dd", "vault", "consul", "nomad", "grafana", "alloy", "loki", "promtail", "tempo", "prometheus", "newrelic",
        "nri", "dynatrace", "oneagent", "elastic", "elasticsearch", "fleet", "filebeat", "metricbeat", "fluent", "fluentd",
        "fluentbit", "otel", "opentelemetry", "splunk", "sumologic", "cloudwatch", "omsagent", "ama", "azure", "arc", "gke",
        "ssm", "calico", "cilium", "istio", "linkerd", "spire", "crowdstrike", "falcon", "sysdig",
        "aqua", "twistlock", "prisma", "wiz", "lacework", "instana", "appdynamics", "jaeger", "vector", "telegraf", "zabbix",
        "nessus", "qualys", "tenable", "kiam", "kube2iam", "gitlab", "jenkins", "buildkite", "azp", "teamcity", "bamboo",
        "argocd", "flux", "spacelift", "octopus", "honeycomb", "lightstep", "sentry", "kubecost", "neuvector",
        "konnectivity", "aks", "eks", "tke", "ack", "oke", "cattle", "rancher", "portainer", "sentinelone", "s1", "wazuh",
        "tanium", "rapid7", "insight", "netdata", "tailscale", "teleport", "twingate", "cloudflared", "kasten", "velero",
        "tfc", "terraform", "atlantis", "env0", "scalr", "harness", "circleci", "drone", "woodpecker", "semaphore", "codefresh",
        "puppet", "chef", "salt", "saltstack", "gocd", "spinnaker", "tekton", "concourse", "osquery", "logdna", "mezmo",
        "site24x7", "steadybit", "komodor", "litmus", "litmuschaos", "gremlin", "chaos", "castai", "ncpa", "nagios", "icinga",
        "checkmk", "mayastor", "openebs", "longhorn", "portworx", "rook", "ceph", "ssh", "gpg", "signalfx", "coralogix",
        "logzio", "humio", "crowdsec", "snyk", "orca", "upwind", "kubescape", "armo", "stackrox", "trivy", "anchore", "falco",
        "tetragon", "pixie", "groundcover", "odigos", "robusta", "keptn", "pagerduty", "opsgenie", "uptime", "kuma", "logstash",
        "graylog", "sumo", "scalyr", "chronosphere", "victoriametrics", "thanos", "cortex", "mimir", "traefik", "kong", "envoy",
        "nginx", "haproxy", "cyberark", "conjur", "akeyless", "doppler", "infisical", "veeam", "kasten", "trilio", "nutanix",
        "vsphere", "tanzu", "netapp", "trident", "newrelic", "lumigo", "thousandeyes", "catchpoint", "zscaler", "netskope",
        "paloalto", "prisma", "checkpoint", "fortinet", "cribl", "observe", "bitbucket", "azdo", "vsts", "octopusdeploy",
        "sonarqube", "sonar", "checkmarx", "veracode", "lens", "backup", "restic", "rclone", "mirantis", "fairwinds",
    ]
    /// Words that make `cursor` a database's (`cursor-reaper`, `mongo-cursor-cleaner`), not the AI editor's.
    static let databaseCursorWords: Set<String> = ["reaper", "db", "database", "mongo", "mongodb", "sql", "postgres", "pg",
                                                   "cleaner", "cleanup", "gc", "timeout", "sweeper"]
    /// Whether a namespace is the cluster's or a platform's own (`kube-system`, `cattle-system`, `openshift-*`): its
    /// accounts are components, never an AI agent's.
    static func isSystemNamespace(_ words: Set<String>) -> Bool {
        words.isDisjoint(with: aiWords) && (words.contains("system") || words.contains("openshift") || words == ["kube", "public"]
                                            || words == ["kube", "node", "lease"])
    }

    /// Whether a Kubernetes user is an AI agent's principal: listed in the baseline, or else (unless the baseline says it
    /// never is) named in a harness log, or a service account whose name says so. A name whose only agent word is
    /// `agent` and that names an infrastructure vendor (`datadog-agent`) is that vendor's agent, not an AI's.
    static func isAgentPrincipal(_ principal: String, listed: [String], excluded: [String] = [], harness: Set<String>) -> Bool {
        if listed.contains(where: { GlobPattern.matchesName($0, principal) }) { return true }
        if excluded.contains(where: { GlobPattern.matchesName($0, principal) }) { return false }
        if harness.contains(principal) { return true }
        if let account = K8sAuditDecoder.serviceAccount(principal) {
            let name = Set(ProductionDetector.tokenize(account.name)), namespace = Set(ProductionDetector.tokenize(account.namespace))
            if isSystemNamespace(namespace) { return false }
            // (Vendors' names as written, digits and all: `site24x7`.)
            let raw = Set((account.name + "-" + account.namespace).lowercased()
                .split(whereSeparator: { $0 == "-" || $0 == "_" || $0 == "." }).map(String.init))
            if !raw.isDisjoint(with: infrastructureWords) && name.isDisjoint(with: aiWords) { return false }
            let databaseCursor = name.contains("cursor") && !(name.union(namespace)).isDisjoint(with: databaseCursorWords)
            if !name.subtracting(databaseCursor ? ["cursor"] : []).isDisjoint(with: aiWords) { return true }
            // A harness's name run together with another word (`claudecode`, `codexrunner`, `geminicli`; not `claudette`).
            if name.contains(where: { word in
                harnessNamePrefixes.contains { word.hasPrefix($0) && harnessNameSuffixes.contains(String(word.dropFirst($0.count))) }
            }) { return true }
            if !name.subtracting(databaseCursor ? ["cursor"] : []).isDisjoint(with: agentWords) {
                guard name.isDisjoint(with: infrastructureWords) && namespace.isDisjoint(with: infrastructureWords) else { return false }
                // `ip-masq-agent`, `aks-node-agent`: a component's agent, unless it runs among agents (`agents:node-agent`).
                return name.isDisjoint(with: componentWords) || !namespace.isDisjoint(with: agentNamespaceWords)
            }
            // The namespace alone says so when it is agents' (`agents`, `claude-agents`), not AI workloads' (`llm-serving`,
            // `ai-platform`), and the account is no component of the cluster's (`kube-state-metrics`).
            return !namespace.isDisjoint(with: agentNamespaceWords) && namespace.isDisjoint(with: infrastructureWords)
                && name.isDisjoint(with: infrastructureWords) && name.isDisjoint(with: componentWords)
        }
        return false
    }

    /// The AI harnesses' names distinctive enough to be read at the start of a longer word.
    static let harnessNamePrefixes = ["claude", "codex", "gemini", "copilot"]
    /// … followed by one of these words.
    static let harnessNameSuffixes: Set<String> = ["code", "cli", "runner", "agent", "agents", "bot", "worker", "sa", "ci", "mcp"]

    /// Words of a namespace that say its workloads are agents (not `ai` or `llm`: a model server is no agent).
    static let agentNamespaceWords: Set<String> = ["agent", "agents", "claude", "codex", "gemini", "copilot", "cursor", "aider", "devin",
                                                   "mcp"]
    /// Words of the cluster's own components' accounts, which run in any namespace.
    static let componentWords: Set<String> = [
        "kube", "metrics", "controller", "operator", "webhook", "exporter", "coredns", "dns", "ingress", "autoscaler", "cert",
        "scheduler", "csi", "provisioner", "node", "keda", "karpenter", "external", "reloader", "masq", "konnectivity",
        "kubelet", "cni",
    ]

    // MARK: Summary numbers

    /// The classes that make an action risky, for the confirmation figures.
    public static let riskyClasses: ActionClasses = [
        .delete, .deploy, .schema, .merge, .highRisk, .credential, .sensitiveRead, .remoteExec, .privilege,
    ]

    /// Actions that count in the figures: by an agent, and seen as a call, a result or a decision, or a Kubernetes
    /// request (one logged only as received may have run, and rules judge it); a Kubernetes request a harness call made
    /// is that call's action, counted once.
    static let countedActions = "\(loggedActions) AND NOT \(madeByCall)"
    /// Actions by an agent, seen as a call, a result or a decision, or a Kubernetes request (`countedActions`, before a
    /// request a harness call made is left to that call).
    static let loggedActions = "(has_call OR has_result OR has_decision OR format = 'k8s-audit') AND by_agent"
    /// The action is a Kubernetes request a harness call made (its call's action).
    static let madeByCall = "EXISTS (SELECT 1 FROM temp.k8s_made_by m WHERE m.request_id = action_id)"

    static func summarise(_ db: Database, into result: inout CheckResult) throws(HarnessAuditError) {
        let risky = riskyClasses
        let rows = try db.rows("""
            SELECT count(*), sum(classes & ? <> 0 AND NOT blocked), sum(classes & ? <> 0 AND confirmed_known AND NOT blocked), sum(blocked),
                   sum(ts IS NULL)
            FROM temp.actions
            WHERE \(countedActions)
            """, [.integer(risky.rawValue), .integer(risky.rawValue)])
        result.actions = rows.first?[0].int64 ?? 0
        result.riskyActions = rows.first?[1].int64 ?? 0
        result.confirmedRiskyActions = rows.first?[2].int64 ?? 0
        result.blockedAttempts = rows.first?[3].int64 ?? 0
        result.undatedActions = rows.first?[4].int64 ?? 0
        // Kubernetes requests no rule looked at: their principals are not taken for agents. Read per Kubernetes session
        // (one per principal, `k8s:NAME`), through the sessions' index.
        let others = try db.rows("""
            SELECT coalesce(principal, ''), count(*) FROM temp.actions
            WHERE session_id IN (SELECT session_id FROM temp.session_facts WHERE session GLOB 'k8s:*')
              AND format = ? AND NOT by_agent AND (has_call OR has_result OR has_decision)
            GROUP BY 1 ORDER BY 2 DESC, 1
            """, [.text(LogFormat.k8sAudit.id)])
        result.otherPrincipalRequests = others.reduce(0) { $0 + ($1[1].int64 ?? 0) }
        result.otherPrincipalCount = Int64(others.count)
        result.otherPrincipals = others.prefix(CheckResult.otherPrincipalsListed).compactMap { $0[0].text }
        result.sourcesBeingIngested = try db.rows("""
            SELECT path FROM sources WHERE state = 'ingesting' AND ha_ingest_running(owner, heartbeat) ORDER BY id
            """).compactMap { $0[0].text }
    }

    /// The risky class a finding shows its action to have, for the categories a baseline widens: its sensitive
    /// paths (a secret read), its protected branches (a push to one is a merge, a force push high risk).
    static let categoryClasses: [String: ActionClasses] = [
        "sensitive-read": .sensitiveRead, "merge-without-approval": .merge, "high-risk-command": .highRisk,
    ]

    /// Counts, among the risky actions, those that a finding shows risky although their classes from ingest do not
    /// (a read of a path the baseline adds to the sensitive ones, a push to a branch it protects), so the figures agree
    /// with the findings.
    /// `findings`: every finding of the check, before waivers, authorizations and `--new-only` set any aside.
    static func countFindingClasses(_ db: Database, findings: [Finding], into result: inout CheckResult) throws(HarnessAuditError) {
        var shown: [Int64: ActionClasses] = [:]
        for finding in findings {
            guard let anchor = finding.anchorEventID, let classes = categoryClasses[finding.category] else { continue }
            shown[anchor, default: []].formUnion(classes)
        }
        guard !shown.isEmpty else { return }
        let anchors = Array(shown.keys)
        for start in stride(from: 0, to: anchors.count, by: 500) {
            let chunk = Array(anchors[start..<min(start + 500, anchors.count)])
            let rows = try db.rows("""
                SELECT anchor_id, classes, confirmed_known, agent, repo, actor FROM temp.actions
                WHERE anchor_id IN (\(Array(repeating: "?", count: chunk.count).joined(separator: ", "))) AND NOT blocked
                  AND \(countedActions)
                """, chunk.map { .integer($0) })
            for row in rows {
                guard let anchor = row[0].int64, let shownClasses = shown[anchor] else { continue }
                let classes = ActionClasses(rawValue: row[1].int64 ?? 0)
                let added = shownClasses.subtracting(classes)
                guard !added.isEmpty else { continue }
                let confirmed = (row[2].int64 ?? 0) != 0
                result.addedRiskyClasses.append(CheckResult.AddedRisk(
                    classes: added, confirmed: confirmed, newlyRisky: classes.isDisjoint(with: riskyClasses),
                    agent: row[3].text, repo: row[4].text, actor: row[5].text))
                if classes.isDisjoint(with: riskyClasses) {
                    result.riskyActions += 1
                    if confirmed { result.confirmedRiskyActions += 1 }
                }
            }
        }
    }

    // MARK: Rules

    /// Prepares a rule on the check connection and checks it: one statement, read-only, the
    /// required columns, known parameters. Errors name the rule file and line.
    public static func prepare(_ rule: Rule, db: Database) throws(HarnessAuditError) -> Statement {
        let firstWord = CheckEngine.firstKeyword(rule.sql)
        guard firstWord == "select" || firstWord == "with" else {
            throw .invalidRule(file: rule.file, line: rule.sqlLine, message: "a rule is one read-only SELECT (or WITH … SELECT); found `\(firstWord)`")
        }
        let statement: Statement
        do {
            statement = try db.prepare(rule.sql)
        } catch {
            var line = rule.sqlLine
            if let offset = db.errorOffset {
                line += rule.sql.utf8.prefix(offset).filter { $0 == 0x0A }.count
            }
            if case .database(_, let message, _) = error {
                throw .invalidRule(file: rule.file, line: line, message: "SQL error: \(message)")
            }
            throw error
        }
        if !CheckEngine.isOnlyComments(statement.tail) {
            throw .invalidRule(file: rule.file, line: rule.sqlLine, message: "a rule holds exactly one SQL statement")
        }
        if !statement.isReadOnly {
            throw .invalidRule(file: rule.file, line: rule.sqlLine, message: "a rule must be a read-only SELECT")
        }
        let columns = Set(statement.columnNames)
        for column in requiredColumns where !columns.contains(column) && !(column == "evidence" && columns.contains("evidence_refs")) {
            throw .invalidRule(file: rule.file, line: rule.sqlLine,
                               message: "the query must return a `\(column)` column (required: \(requiredColumns.joined(separator: ", ")))")
        }
        for index in 0..<statement.parameterCount {
            let name = statement.parameterName(index + 1) ?? "?"
            if !parameters.contains(name) {
                throw .invalidRule(file: rule.file, line: rule.sqlLine,
                                   message: "unknown parameter \(name) (known: \(parameters.sorted().joined(separator: ", ")))")
            }
        }
        return statement
    }

    /// The first word of a statement after comments and whitespace, lower-cased.
    static func firstKeyword(_ sql: String) -> String {
        var rest = Substring(sql)
        while true {
            rest = rest.drop { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" || $0 == "(" }
            if rest.hasPrefix("--") {
                rest = rest.drop { $0 != "\n" }
            } else if rest.hasPrefix("/*"), let end = rest.range(ofASCII: "*/") {
                rest = rest[end.upperBound...]
            } else {
                break
            }
        }
        return String(rest.prefix { $0.isLetter }).lowercased()
    }

    static func isOnlyComments(_ text: String) -> Bool {
        var rest = Substring(text)
        while true {
            rest = rest.drop { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" || $0 == ";" }
            if rest.isEmpty { return true }
            if rest.hasPrefix("--") {
                rest = rest.drop { $0 != "\n" }
            } else if rest.hasPrefix("/*"), let end = rest.range(ofASCII: "*/") {
                rest = rest[end.upperBound...]
            } else {
                return false
            }
        }
    }

    static func evaluate(_ rule: Rule, db: Database, options: CheckOptions) throws(HarnessAuditError) -> [Finding] {
        do {
            return try run(rule, db: db, options: options)
        } catch .database(let code, let message, _) where [SQLITE_ERROR, SQLITE_AUTH, SQLITE_MISMATCH, SQLITE_TOOBIG, SQLITE_RANGE]
                                                            .contains(code & 0xFF) {
            // What the rule's own query did wrong while it ran (a function refused, a value too big): its file says
            // which rule, as a broken rule's parse error does.
            throw .invalidRule(file: rule.file, line: rule.sqlLine, message: "rule `\(rule.id)` failed while it ran: \(message)")
        }
    }

    private static func run(_ rule: Rule, db: Database, options: CheckOptions) throws(HarnessAuditError) -> [Finding] {
        let statement = try prepare(rule, db: db)
        let values: [String: SQLValue] = [
            ":since": .optional(options.since), ":until": .optional(options.until), ":now": .integer(options.now),
            ":max_token_lifetime": .integer(options.baseline.maxTokenLifetimeSeconds), ":gap_window_ms": .integer(gapWindowMillis),
        ]
        for index in 0..<statement.parameterCount {
            if let name = statement.parameterName(index + 1), let value = values[name] { try statement.bind(index + 1, value) }
        }
        let names = statement.columnNames
        var findings: [Finding] = []
        let sessionName = try db.prepare("SELECT name FROM sessions WHERE id = ?")
        let evidenceQuery = try db.prepare(CheckEngine.evidenceSQL)
        let sourcePath = try db.prepare("SELECT path FROM sources WHERE id = ?")
        // Where an undated finding's action is placed in time (its log file's time, as windows place it).
        let placement = try db.prepare("SELECT window_ts FROM actions_raw WHERE anchor_id = ? LIMIT 1")
        // An anchor that is no action's (a mode change, a prompt): placed as the session's nearest action in the log is.
        let nearestPlacement = try db.prepare("""
            SELECT a.window_ts FROM actions_raw a
            WHERE a.session_id = (SELECT e.session_id FROM events e WHERE e.id = ?1) AND a.window_ts IS NOT NULL
            ORDER BY abs(a.anchor_id - ?1), a.anchor_id LIMIT 1
            """)
        // Findings repeat the same sessions, files, agents, people, hosts and repos: each distinct text is
        // kept once, not once per finding (a rule may report tens of thousands). Texts are the same only
        // byte for byte: a composed and a decomposed "é" name different sessions and files.
        var texts = Set<ExactText>()
        func shared(_ text: String?) -> String? {
            guard let text else { return nil }
            return texts.insert(ExactText(text)).memberAfterInsert.text
        }
        while try statement.step() {
            var row: [String: SQLValue] = [:]
            for (index, name) in names.enumerated() { row[name] = statement.value(index) }
            var session: String?
            if let id = row["session_id"]?.int64 {
                sessionName.reset()
                try sessionName.bind(1, id)
                if try sessionName.step() { session = shared(sessionName.text(0)) }
            }
            // Evidence: event ids (comma-separated), or `source_id:line` references.
            var evidence: [Evidence] = []
            let ids = (row["evidence"]?.text ?? "").split(separator: ",").compactMap { Int64($0.trimmingSpaces) }
            for id in Set(ids).sorted() {
                if let line = try CheckEngine.evidence(of: id, query: evidenceQuery, intern: shared) { evidence.append(line) }
            }
            for reference in (row["evidence_refs"]?.text ?? "").split(separator: ",") {
                let parts = reference.split(separator: ":")
                guard parts.count == 2, let source = Int64(parts[0]), let line = Int64(parts[1]) else { continue }
                sourcePath.reset()
                try sourcePath.bind(1, source)
                let path = try sourcePath.step() ? shared(sourcePath.text(0)) ?? "?" : "?"
                evidence.append(Evidence(file: path, line: line, sourceID: source, eventID: nil))
            }
            let (lines, sameLineEvents) = Evidence.byLine(Set(evidence))
            let subject = row["subject"]?.text ?? ""
            // A reason is one sentence on one line (commands with here-docs span lines).
            let reason = CheckEngine.oneLine(row["reason"]?.text ?? rule.metadata.title, limit: 500)
            var finding = Finding(
                id: Finding.fingerprint(rule: rule.id, session: session, subject: subject), rule: rule.id,
                title: rule.metadata.title, category: rule.metadata.category, severity: rule.metadata.severity,
                reason: reason, session: session, ts: row["ts"]?.int64,
                evidence: lines, agent: shared(row["agent"]?.text), actor: shared(row["actor"]?.text),
                principal: shared(row["principal"]?.text), host: shared(row["host"]?.text), repo: shared(row["repo"]?.text),
                target: row["target"]?.text, command: row["command"]?.text)
            finding.frameworks = rule.metadata.frameworks
            finding.sameLineEventIDs = sameLineEvents
            finding.anchorEventID = row["anchor_id"]?.int64 ?? ids.min()
            if finding.ts == nil, let anchor = finding.anchorEventID {
                placement.reset()
                try placement.bind(1, anchor)
                if try placement.step() {
                    finding.placedTs = placement.int64(0)
                } else {
                    nearestPlacement.reset()
                    try nearestPlacement.bind(1, anchor)
                    if try nearestPlacement.step() { finding.placedTs = nearestPlacement.int64(0) }
                }
            }
            if let targets = row["targets"]?.text {
                let (values, families) = CheckEngine.targetValues(targets)
                finding.targets = values.map { shared($0) ?? $0 }
                finding.commandFamilies = families.map { shared($0) ?? $0 }
            }
            for name in names where !knownColumns.contains(name) {
                if let text = row[name]?.text { finding.properties.append((name, text)) }
            }
            if session == nil, let facts = row["session_id"], facts == .null {
                finding.session = nil
            }
            findings.append(finding)
        }
        statement.reset()
        return findings
    }

    /// The file and line of an event (`evidence(of:query:)`'s statement).
    static let evidenceSQL = "SELECT s.path, e.line, e.source_id FROM events e JOIN sources s ON s.id = e.source_id WHERE e.id = ?"

    /// The evidence an event is: its file (kept once through `intern`) and line.
    static func evidence(of id: Int64, query: Statement, intern: (String?) -> String? = { $0 }) throws(HarnessAuditError) -> Evidence? {
        query.reset()
        try query.bind(1, id)
        guard try query.step() else { return nil }
        return Evidence(file: intern(query.text(0)) ?? "?", line: query.int64(1) ?? 0, sourceID: query.int64(2) ?? 0, eventID: id)
    }

    /// One action logged by the agent's harness and by the API server is one finding per rule: a finding on a
    /// Kubernetes request that a harness call made (`ActionModel.madeByStatements`) joins the same rule's finding on
    /// that call, its lines added to the call's evidence. A request whose call raised nothing under that rule keeps
    /// its own finding (the audit log may show what the harness could not: a namespace across, a production one), in
    /// the call's session, with the call's lines and who made it.
    static func mergeKubernetesCopies(_ findings: inout [Finding], db: Database) throws(HarnessAuditError) {
        let pairs = try db.prepare("""
            SELECT r.anchor_id, c.anchor_id, f.session, c.evidence, x.agent, x.actor, x.host, x.repo FROM temp.k8s_made_by m
            JOIN temp.actions_raw r ON r.action_id = m.request_id JOIN temp.actions_raw c ON c.action_id = m.call_id
            LEFT JOIN temp.session_facts f ON f.session_id = c.session_id LEFT JOIN contexts x ON x.id = c.context_id
            """)
        struct Call { var session: String?, evidence: String?, who: [String?] }
        var callOf: [Int64: Int64] = [:]
        var calls: [Int64: Call] = [:]
        while try pairs.step() {
            if let request = pairs.int64(0), let call = pairs.int64(1) {
                callOf[request] = call
                calls[request] = Call(session: pairs.text(2), evidence: pairs.text(3), who: (4...7).map { pairs.text($0).flatMap { $0.isEmpty ? nil : $0 } })
            }
        }
        guard !callOf.isEmpty else { return }
        var byCall: [String: [Int64: Int]] = [:]
        for (index, finding) in findings.enumerated() {
            if let anchor = finding.anchorEventID { byCall[finding.rule, default: [:]][anchor] = index }
        }
        var merged = Set<Int>()
        for index in findings.indices {
            guard let anchor = findings[index].anchorEventID, let call = callOf[anchor],
                  let target = byCall[findings[index].rule]?[call], target != index, !merged.contains(target) else { continue }
            let lines = Evidence.byLine(findings[target].evidence + findings[index].evidence)
            findings[target].evidence = lines.evidence
            // The audit log names the account the call acted as.
            if findings[target].principal == nil { findings[target].principal = findings[index].principal }
            findings[target].sameLineEventIDs += lines.sameLineEvents + findings[index].sameLineEventIDs
            merged.insert(index)
        }
        // The requests' own findings, moved to the session of the call that made them.
        let evidenceQuery = try db.prepare(CheckEngine.evidenceSQL)
        for index in findings.indices where !merged.contains(index) {
            guard let anchor = findings[index].anchorEventID, let made = calls[anchor], let session = made.session,
                  session != findings[index].session else { continue }
            var evidence = findings[index].evidence
            for id in (made.evidence ?? "").split(separator: ",").compactMap({ Int64($0) }) {
                if let line = try CheckEngine.evidence(of: id, query: evidenceQuery) { evidence.append(line) }
            }
            let lines = Evidence.byLine(Set(evidence))
            findings[index].evidence = lines.evidence
            findings[index].sameLineEventIDs += lines.sameLineEvents
            findings[index].id = Finding.fingerprint(rule: findings[index].rule, session: session, subject: findings[index].id)
            findings[index].session = session
            findings[index].agent = made.who[0] ?? findings[index].agent
            findings[index].actor = made.who[1] ?? findings[index].actor
            findings[index].host = made.who[2] ?? findings[index].host
            findings[index].repo = made.who[3] ?? findings[index].repo
        }
        guard !merged.isEmpty else { return }
        findings = findings.enumerated().filter { !merged.contains($0.offset) }.map(\.element)
    }

    /// Text on one line: runs of whitespace (newlines included) become one space; cut at `limit`.
    static func oneLine(_ text: String, limit: Int) -> String {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" || $0 == "\r\n" })
        let joined = words.joined(separator: " ")
        return joined.count > limit ? String(joined.prefix(limit - 1)) + "…" : joined
    }

    /// The values of a targets JSON array, and apart the command families (`rm`, `kubectl apply`).
    static func targetValues(_ json: String) -> (targets: [String], families: [String]) {
        var targets: [String] = [], families: [String] = []
        for target in Classification.storedTargets(json) {
            if target.kind == "command" { families.append(target.value) } else { targets.append(target.value) }
        }
        return (targets, families)
    }

    /// Adds the classifier's reasons (re-derived from the command under the baseline's policy) to
    /// shell findings. With `revalidate`, a high-risk finding whose command is no longer high risk
    /// under the baseline (a force push to a branch the baseline does not protect) is dropped:
    /// classification at ingest used the default policy.
    static func attachDetails(_ findings: inout [Finding], db: Database, policy: ClassificationPolicy,
                              revalidate: Bool = false) throws(HarnessAuditError) {
        var dropped = Set<Int>()
        let relevant: [String: ActionClasses] = [
            "unconfirmed-delete": .delete, "sensitive-read": .sensitiveRead, "production-deploy": [.deploy, .delete, .schema],
            "high-risk-command": .highRisk, "write-outside-scope": [.write, .delete], "schema-change": .schema,
            "merge-without-approval": .merge, "k8s-exec": .remoteExec, "privilege-escalation": .privilege,
            "long-lived-credential": .credential, "approval-bypass": [.delete, .deploy, .highRisk, .schema, .merge],
        ]
        let cwdQuery = try db.prepare("SELECT cwd, tool FROM temp.actions WHERE anchor_id = ?")
        // Findings repeat commands run in the same directory: each (byte for byte) is classified once per
        // category, and the findings share its details.
        struct Key: Hashable {
            var command: ExactText
            var cwd: ExactText?
            var category: String
            /// A PowerShell command line (read as PowerShell, not as a POSIX shell).
            var powerShell: Bool
        }
        var known: [Key: (details: [String], drop: Bool)] = [:]
        for index in findings.indices {
            guard let command = findings[index].command, let classes = relevant[findings[index].category] else { continue }
            var cwd: String?, powerShell = false
            if let anchor = findings[index].anchorEventID {
                cwdQuery.reset()
                try cwdQuery.bind(1, anchor)
                if try cwdQuery.step() {
                    cwd = cwdQuery.text(0)
                    powerShell = ["powershell", "pwsh"].contains(cwdQuery.text(1)?.lowercased() ?? "")
                }
            }
            let key = Key(command: ExactText(command), cwd: cwd.map(ExactText.init), category: findings[index].category,
                          powerShell: powerShell)
            if known[key] == nil {
                let context = ClassificationContext(cwd: cwd, home: PathNormalizer.inferHome(from: cwd), policy: policy)
                let classification = powerShell ? PowerShellAnalyzer.classify(script: command, context: context)
                    : ShellAnalyzer.classify(command, context: context)
                let details = classification.reasons.filter { reason in
                    ActionClasses.named(reason.className).map { !classes.intersection($0).isEmpty } ?? false
                }.map { "\($0.className): \($0.text)" }
                // Dropped only when the default policy reproduces the high risk and the baseline's does not, so
                // only what the baseline changed (protected branches) can remove a finding.
                var drop = false
                if revalidate, key.category == "high-risk-command", !classification.classes.contains(.highRisk) {
                    let defaults = ClassificationContext(cwd: cwd, home: PathNormalizer.inferHome(from: cwd), policy: ClassificationPolicy())
                    drop = (powerShell ? PowerShellAnalyzer.classify(script: command, context: defaults)
                        : ShellAnalyzer.classify(command, context: defaults)).classes.contains(.highRisk)
                }
                known[key] = (details, drop)
            }
            guard let outcome = known[key] else { continue }
            findings[index].details = outcome.details
            if outcome.drop { dropped.insert(index) }
        }
        if !dropped.isEmpty {
            // Closed up in place: the list may be long, and a copy of it would double its memory.
            var kept = 0
            for index in findings.indices where !dropped.contains(index) {
                findings.swapAt(kept, index)
                kept += 1
            }
            findings.removeSubrange(kept...)
        }
    }

    // MARK: Authorizations and waivers

    /// Applies the baseline (severities, authorizations), the waivers and `--new-only` to raw
    /// findings, and fills the result's findings, waived, authorized and unused lists.
    static func applyPolicy(_ findings: consuming [Finding], options: CheckOptions, to result: inout CheckResult) {
        // The findings are sorted out in place (a check may hold tens of thousands): those the baseline
        // authorizes and those a waiver accepts move to their own lists, the rest close up at the front.
        var findings = findings
        let authorizations = options.baseline.authorizations
        let waivers = options.waivers.waivers
        var usedAuthorizations = Set<Int>()
        var usedWaivers = Set<Int>()
        var applicable: [Int] = []
        for (index, waiver) in waivers.enumerated() {
            if let problem = waiver.problem(now: options.now) {
                result.invalidWaivers.append((waiver, problem))
            } else {
                applicable.append(index)
            }
        }
        var previouslyReported: [String] = []
        var kept = 0
        for index in findings.indices {
            if let severity = options.baseline.severities[findings[index].rule] ?? options.baseline.severities[findings[index].category] {
                findings[index].severity = severity
            }
            // Baseline authorizations first, then waivers, then `--new-only`.
            if let match = authorizations.firstIndex(where: { CheckEngine.authorizes($0, findings[index]) }) {
                findings[index].authorization = authorizations[match]
                usedAuthorizations.insert(match)
                result.authorized.append(findings[index])
            } else if let match = applicable.first(where: { CheckEngine.waives(waivers[$0], findings[index]) }) {
                findings[index].waiver = waivers[match]
                usedWaivers.insert(match)
                result.waived.append(findings[index])
            } else if options.previousFindingIDs?.contains(findings[index].id) == true {
                previouslyReported.append(findings[index].id)
            } else {
                findings.swapAt(kept, index)
                kept += 1
            }
        }
        findings.removeSubrange(kept...)
        // Authorizations of drift rules and categories are for `drift` to judge.
        let driftNames = Set(DriftRules.categories + DriftRules.all.map(\.id))
        // (Over a window, these are the period's: `baseline suggest` proposes removing them; as a problem of the policy file
        // they are shown only for a check over all time, `FindingsTextRenderer.policyProblems`.)
        result.unusedAuthorizations = authorizations.enumerated()
            .filter { !usedAuthorizations.contains($0.offset) && !driftNames.contains($0.element.category ?? $0.element.rule ?? "") }
            .map(\.element)
        // Over a time window, a waiver that matched nothing in it may be for another period's finding (one waivers
        // file serves every month): only a check over all time says a waiver matched no finding.
        if options.since == nil && options.until == nil {
            result.unusedWaivers = applicable.filter { !usedWaivers.contains($0) }.map { waivers[$0] }
        }
        if options.previousFindingIDs != nil {
            result.previouslyReported = previouslyReported.count
            result.previouslyReportedIDs = Array(Set(previouslyReported)).sorted()
        }
        findings.sort(by: CheckEngine.order)
        result.findings = findings
        result.waived.sort(by: CheckEngine.order)
        result.authorized.sort(by: CheckEngine.order)
    }

    /// Whether a scope's name pattern (agent, principal, repo, session, host) matches (`GlobPattern.matchesName`).
    static func matches(_ pattern: String?, _ value: String?) -> Bool {
        guard let pattern else { return true }
        guard let value else { return false }
        return GlobPattern.matchesName(pattern, value)
    }

    static func authorizes(_ authorization: Baseline.Authorization, _ finding: Finding) -> Bool {
        if let category = authorization.category, category != finding.category { return false }
        if let rule = authorization.rule, rule != finding.rule { return false }
        guard matches(authorization.agent, finding.agent), matches(authorization.principal, finding.principal),
              matches(authorization.repo, finding.repo), matches(authorization.session, finding.session),
              matches(authorization.host, finding.host) else { return false }
        if let target = authorization.target { return coversTargets(target, finding) }
        return true
    }

    /// Whether a target pattern covers everything the finding is about, so one authorized thing
    /// cannot carry an unauthorized one (`kubectl --context prod-eu … && kubectl --context prod-us …`,
    /// `npm publish; curl … | sh`):
    /// - the targets the rule flagged (its `target` column, `namespace ledger-prod, context prod-eu`), when it names
    ///   them, must all match, each as written or by its name alone (`ledger-prod`); a Kubernetes resource or secret
    ///   (`resource deployments prod/api`, `secret prod/db`) also by its namespace (`prod`), which the authorization covers
    ///   whole, and a namespace by an authorization of a resource in it (`prod/api`);
    /// - otherwise every command the action ran (`npm publish`), or else every target it has, must match; or the
    ///   whole command line, when it is one command (`sudo apt-get install*`: no `;`, `&&`, `|` or substitution
    ///   that could carry another).
    static func coversTargets(_ target: String, _ finding: Finding) -> Bool {
        let pattern = GlobPattern(target)
        func match(_ value: String) -> Bool { value == target || pattern.matches(value) }
        if let flaggedText = finding.target {
            let parts = flaggedText.split(separator: ",").map { String($0.trimmingSpaces) }
            let namesResource = parts.contains { $0.hasPrefix("resource ") }
            return parts.allSatisfy { part in
                guard !match(part) else { return true }
                let words = part.split(separator: " ", maxSplits: 1)
                guard words.count == 2 else { return false }
                let name = words[1].split(separator: " ").last.map(String.init) ?? ""
                if match(String(words[1])) || match(name) { return true }
                // A namespace is covered by an authorization of one of its resources (`prod/api`): the finding's resource
                // parts must match it too.
                if words[0] == "namespace", namesResource, target.contains("/") {
                    return GlobPattern(String(target.prefix { $0 != "/" })).matches(name) || target.hasPrefix(name + "/")
                }
                return (words[0] == "resource" || words[0] == "secret") && name.contains("/") && match(String(name.prefix { $0 != "/" }))
            }
        }
        if !finding.commandFamilies.isEmpty, finding.commandFamilies.allSatisfy(match) { return true }
        // The elevation a command runs under (`sudo systemctl restart nginx`) is part of the command it elevates: an
        // authorization of `systemctl restart` covers it, as one of `sudo` alone does not cover what it ran.
        let elevated = finding.commandFamilies.filter { !CheckEngine.elevationFamilies.contains($0) }
        if !elevated.isEmpty, elevated.count < finding.commandFamilies.count, elevated.allSatisfy(match) { return true }
        if let command = finding.command, CheckEngine.isOneCommand(command), match(command) { return true }
        return !finding.targets.isEmpty && finding.targets.allSatisfy(match)
    }

    /// The command families that only run another command with other privileges.
    static let elevationFamilies: Set<String> = ["sudo", "doas", "run0", "pkexec"]

    /// Whether a command line runs one command only: nothing that could chain, pipe or substitute another.
    static func isOneCommand(_ command: String) -> Bool {
        !command.utf8.contains { [UInt8(ascii: ";"), UInt8(ascii: "&"), UInt8(ascii: "|"), UInt8(ascii: "\n"), UInt8(ascii: "`"),
                                  UInt8(ascii: "$"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "("), UInt8(ascii: ")")].contains($0) }
    }

    static func waives(_ waiver: Waivers.Waiver, _ finding: Finding) -> Bool {
        if let id = waiver.findingID { return id.lowercased() == finding.id }
        guard let rule = waiver.rule, rule == finding.rule || rule == finding.category else { return false }
        for (key, pattern) in waiver.scope {
            let value: String?
            switch key {
            case "agent": value = finding.agent
            case "principal": value = finding.principal
            case "repo": value = finding.repo
            case "session": value = finding.session
            case "host": value = finding.host
            case "target":
                if !coversTargets(pattern, finding) { return false }
                continue
            default: value = nil
            }
            if !matches(pattern, value) { return false }
        }
        return true
    }
}
