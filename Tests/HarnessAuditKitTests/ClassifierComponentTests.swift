import Testing
@testable import HarnessAuditKit

@Suite("Classifier components")
struct ClassifierComponentTests {
    @Test("kubectl -A is a request across namespaces only for namespaced objects: not for permission queries or cluster-wide kinds",
          arguments: [("kubectl get pods -A", true), ("kubectl get pods,nodes --all-namespaces", true), ("kubectl events -A", true),
                      ("kubectl top pods -A", true), ("kubectl delete pods -l app=x -A", true), ("kubectl get secrets -A -o yaml", true),
                      ("kubectl get nodes -A", false), ("kubectl get node/worker-1 -A", false), ("kubectl get pv,sc -A", false),
                      ("kubectl get clusterroles.rbac.authorization.k8s.io -A", false), ("kubectl get ns -A", false),
                      ("kubectl auth can-i delete pods --all-namespaces", false), ("kubectl api-resources -A", false)])
    func allNamespaces(_ command: String, _ across: Bool) {
        let result = ShellAnalyzer.classify(command, context: ClassificationContext(cwd: "/home/alice/app", home: "/home/alice"))
        #expect(result.targets.contains { $0.kind == .namespace && $0.value == "*" } == across, "\(command)")
    }

    @Test("path normalisation against cwd and home", arguments: [
        ("~/x", "/home/alice/x"), ("$HOME/.ssh", "/home/alice/.ssh"), ("${HOME}/a", "/home/alice/a"),
        ("rel/a", "/srv/app/rel/a"), ("../other/x", "/srv/other/x"), ("/a//b/./c/../d", "/a/b/d"),
        ("./x", "/srv/app/x"), ("/../../etc", "/etc"), ("~", "/home/alice"),
    ])
    func normalise(_ raw: String, _ expected: String) {
        #expect(PathNormalizer.absolute(raw, cwd: "/srv/app", home: "/home/alice") == expected)
    }

    @Test("home is inferred from transcript paths and working directories")
    func home() {
        #expect(PathNormalizer.inferHome(from: "/home/alice/.claude/projects/-x/s.jsonl") == "/home/alice")
        #expect(PathNormalizer.inferHome(from: "/Users/bob/code/app") == "/Users/bob")
        #expect(PathNormalizer.inferHome(from: "/root/.codex/sessions/x") == "/root")
        #expect(PathNormalizer.inferHome(from: "/srv/app") == nil)
    }

    @Test("Windows paths: drive letters, backslashes, relative paths under a Windows working directory, the home under C:/Users, comparisons without regard to case")
    func windowsPaths() {
        let cwd = #"C:\Users\alice\app"#
        #expect(PathNormalizer.absolute(#"c:\Users\alice\.aws\credentials"#, cwd: cwd, home: nil) == "C:/Users/alice/.aws/credentials")
        #expect(PathNormalizer.absolute("notes.txt", cwd: cwd, home: nil) == "C:/Users/alice/app/notes.txt")
        #expect(PathNormalizer.absolute(#"..\other\x.txt"#, cwd: cwd, home: nil) == "C:/Users/alice/other/x.txt")
        #expect(PathNormalizer.absolute(#"\Windows\System32\drivers\etc\hosts"#, cwd: cwd, home: nil) == "C:/Windows/System32/drivers/etc/hosts")
        #expect(PathNormalizer.absolute("~/.aws/credentials", cwd: cwd, home: "C:/Users/alice") == "C:/Users/alice/.aws/credentials")
        #expect(PathNormalizer.inferHome(from: cwd) == "C:/Users/alice")
        #expect(PathNormalizer.inferHome(from: #"D:\work\.claude\projects\x.jsonl"#) == "D:/work")
        #expect(PathNormalizer.inferHome(from: #"D:\src\app"#) == nil)
        #expect(PathNormalizer.isInside("c:/users/ALICE/app/src/x.cs", root: cwd))
        #expect(!PathNormalizer.isInside("C:/Windows/System32/drivers/etc/hosts", root: cwd))
        #expect(PowerShellAnalyzer.portable(#"$env:USERPROFILE\.aws\credentials"#) == "~/.aws/credentials")
    }

    @Test("Git Bash and Cygwin drive paths under a Windows working directory: /c/… and /cygdrive/d/… are C:/… and D:/…")
    func msysPaths() {
        let cwd = #"C:\Users\alice\app"#
        #expect(PathNormalizer.absolute("/c/Users/alice/app/build", cwd: cwd, home: nil) == "C:/Users/alice/app/build")
        #expect(PathNormalizer.isInside(PathNormalizer.absolute("/c/users/alice/app/src", cwd: cwd, home: nil), root: cwd))
        #expect(PathNormalizer.absolute("/cygdrive/d/data/../x", cwd: cwd, home: nil) == "D:/x")
        #expect(PathNormalizer.absolute("/c", cwd: cwd, home: nil) == "C:/")
        // Not drives: longer first segments, and any path under a Linux working directory.
        #expect(PathNormalizer.absolute("/cache/x", cwd: cwd, home: nil) == "/cache/x")
        #expect(PathNormalizer.absolute("/c/Users/alice", cwd: "/srv/app", home: nil) == "/c/Users/alice")
        let write = ShellAnalyzer.classify("rm -rf /c/Users/alice/.ssh", context: ClassificationContext(cwd: cwd, home: "C:/Users/alice"))
        #expect(write.targets.contains(ActionTarget(.path, "C:/Users/alice/.ssh", operation: "delete")))
    }

    @Test("cd under a home that is not known, and in a Windows working directory; Windows secret paths in any case")
    func directoryChangesAndCase() {
        let unknownHome = ShellAnalyzer.classify("cd ~/.aws && cat credentials", context: ClassificationContext(cwd: "/srv/ledger"))
        #expect(unknownHome.classes.contains(.sensitiveRead))
        #expect(unknownHome.targets.contains { $0.kind == .path && $0.value == "~/.aws/credentials" }, "\(unknownHome.targets)")
        let windows = ShellAnalyzer.classify("cd ~/.aws && cat credentials", context: ClassificationContext(cwd: "C:/Users/alice/app", home: "C:/Users/alice"))
        #expect(windows.classes.contains(.sensitiveRead))
        #expect(windows.targets.contains { $0.kind == .path && $0.value == "C:/Users/alice/.aws/credentials" }, "\(windows.targets)")
        let upper = ShellAnalyzer.classify("cat C:/Users/A/.AWS/Credentials", context: ClassificationContext(cwd: "C:/Users/A/app", home: "C:/Users/A"))
        #expect(upper.classes.contains(.sensitiveRead))
        #expect(SensitivePaths().match("C:/Users/A/.SSH/ID_RSA", home: "C:/Users/A") != nil)
        #expect(SensitivePaths().match("/home/a/.AWS/credentials", home: "/home/a") == nil, "POSIX paths keep their case")
    }

    @Test("PowerShell with Windows paths: secret reads and writes outside the workspace are found at check")
    func windowsSessions() throws {
        let base = #"{"session_id":"w-1","transcript_path":"C:\\Users\\alice\\.claude\\projects\\C--Users-alice-app\\w-1.jsonl","cwd":"C:\\Users\\alice\\app","permission_mode":"default","hook_event_name":"PostToolUse","tool_name":"PowerShell","tool_response":{"stdout":""},"#
        let lines = [
            base + #""tool_use_id":"t1","tool_input":{"command":"Get-Content C:\\Users\\alice\\.aws\\credentials"}}"#,
            base + #""tool_use_id":"t2","tool_input":{"command":"Get-Content $env:USERPROFILE\\.ssh\\id_ed25519"}}"#,
            base + #""tool_use_id":"t3","tool_input":{"command":"Set-Content -Path C:\\Windows\\System32\\drivers\\etc\\hosts -Value x"}}"#,
            base + #""tool_use_id":"t4","tool_input":{"command":"Set-Content -Path src\\config.json -Value x"}}"#,
            base + #""tool_use_id":"t5","tool_input":{"command":"Get-Content README.md"}}"#,
        ]
        let (database, directory) = try CheckTestSupport.store(lines)
        defer { TestSupport.cleanup(directory) }
        let findings = try CheckEngine.run(CheckOptions(databasePath: database)).findings
        let reads = findings.filter { $0.rule == "sensitive-read" }.map(\.reason)
        #expect(reads.count == 2, "\(reads)")
        #expect(reads.contains { $0.contains("C:/Users/alice/.aws/credentials") })
        #expect(reads.contains { $0.contains("C:/Users/alice/.ssh/id_ed25519") })
        let outside = findings.filter { $0.rule == "write-outside-scope" }.map(\.reason)
        #expect(outside.count == 1 && outside[0].contains("C:/Windows/System32/drivers/etc/hosts"), "\(outside)")
    }

    @Test("sensitive paths: DESIGN §4 defaults, exclusions, home-anchored patterns")
    func sensitive() {
        let s = SensitivePaths()
        let home = "/home/alice"
        for path in ["/srv/app/.env", "/srv/app/.env.local", "/home/alice/.ssh/config", "/home/alice/.aws/credentials",
                     "/k/id_rsa", "/k/id_ed25519_work", "/x/tls.pem", "/x/a.key", "/x/store.p12", "/home/alice/.kube/config",
                     "/home/alice/.netrc", "/r/.git-credentials", "/home/alice/.docker/config.json", "/t/terraform.tfstate",
                     "/etc/shadow", "/proc/42/environ",
                     // Another account's home holds its secrets too: its `~/` patterns apply there.
                     "/home/bob/.ssh/config-notes", "/root/.aws/credentials", "/Users/carol/.kube/config",
                     "C:/Users/Dan/.ssh/id_ed25519"] {
            #expect(s.match(path, home: home) != nil, "\(path) should be sensitive")
        }
        for path in ["/srv/app/.env.example", "/srv/app/.env.sample", "/srv/app/.env.template", "/home/alice/.ssh/id_rsa.pub",
                     "/srv/app/env.txt", "/srv/app/.envrc", "/home/alice/.aws/config", "/etc/passwd", "/srv/app/keys/README.md",
                     "/home/bob/notes/ssh-config.md", "/home/bob/.ssh/id_rsa.pub", "/home/bob/.aws/config", "/srv/home/bob/.aws/credentials.md"] {
            #expect(s.match(path, home: home) == nil, "\(path) should not be sensitive")
        }
        #expect(s.match("/home/bob/.ssh/id_rsa", home: nil) != nil, "home unknown: matched at any depth")
        let custom = SensitivePaths(patterns: SensitivePaths.defaultPatterns + ["!*.pem", "*.sqlite"])
        #expect(custom.match("/x/tls.pem", home: home) == nil)
        #expect(custom.match("/x/app.sqlite", home: home) != nil)
    }

    @Test("production detection works on tokens, not substrings", arguments: [
        ("prod", true), ("prod-eu", true), ("eks_prd_1", true), ("PROD_DATABASE_URL", true), ("ProdCluster", true),
        ("production", true), ("live", true), ("db.prod.internal", true), ("prod2", true),
        ("product-catalog", false), ("preprod", false), ("pre-prod", false), ("non-prod", false), ("reproduce", false),
        ("productivity", false), ("livestream", false), ("staging", false), ("prodigy", false), ("", false),
    ])
    func production(_ name: String, _ expected: Bool) {
        #expect((ProductionDetector().match(name) != nil) == expected, "\(name)")
    }

    @Test("production tokens and explicit names are configurable")
    func productionConfigured() {
        let detector = ProductionDetector(tokens: ["prd"], explicitNames: ["eks-main"], excludedNames: ["prd-sandbox"])
        #expect(detector.match("eks-main") != nil)
        #expect(detector.match("prod") == nil)
        #expect(detector.match("prd-sandbox") == nil)
        #expect(detector.match("prd-eu") != nil)
    }

    @Test("protected branches: main, master, release/* by default")
    func branches() {
        let p = ProtectedBranches()
        #expect(p.isProtected("main") && p.isProtected("master") && p.isProtected("release/2.1") && p.isProtected("refs/heads/main"))
        #expect(!p.isProtected("main-backup") && !p.isProtected("release-notes") && !p.isProtected("feature/main"))
    }

    @Test("glob patterns", arguments: [
        ("*.pem", "a.pem", true), ("*.pem", "dir/a.pem", false), ("**/*.pem", "dir/a.pem", true), ("id_rsa*", "id_rsa.pub", true),
        ("release/*", "release/1.2", true), ("release/*", "release/1/2", false), ("[ab]c", "bc", true), ("?x", "ax", true),
    ])
    func glob(_ pattern: String, _ candidate: String, _ expected: Bool) {
        #expect(GlobPattern(pattern).matches(candidate) == expected)
    }

    @Test("a passphrase given to gpg is no file it reads: it never becomes a target (targets reach the JSON output unmasked)")
    func gpgPassphraseIsNoTarget() {
        let result = ShellAnalyzer.classify("gpg --batch --passphrase R4GpgPassphrase01 -d secrets.gpg",
                                            context: ClassificationContext(cwd: "/srv/app", home: "/home/alice"))
        #expect(!(result.targetsJSON ?? "").contains("R4GpgPassphrase01"), "\(result.targetsJSON ?? "")")
        #expect((result.targetsJSON ?? "").contains("/srv/app/secrets.gpg"))
    }

    @Test("SQL: DDL, DML, reads; DELETE/UPDATE without WHERE; strings and comments are not statements")
    func sql() {
        let k = SQLClassifier.classify
        #expect(k("DROP TABLE users").first?.destructive == true)
        #expect(k("DELETE FROM t").first?.unbounded == true)
        #expect(k("DELETE FROM t WHERE id = 1").first?.unbounded == false)
        #expect(k("UPDATE t SET a = 1").first?.unbounded == true)
        #expect(k("SELECT 'DROP TABLE x' FROM t").first?.kind == .read)
        #expect(k("-- DROP TABLE x\nSELECT 1").map(\.kind) == [.read])
        #expect(k("/* DELETE FROM t */ SELECT 1").map(\.kind) == [.read])
        #expect(k("BEGIN; ALTER TABLE t ADD c int; COMMIT").map(\.kind) == [.transaction, .ddl, .transaction])
        #expect(k("WITH x AS (SELECT 1) DELETE FROM t").first?.verb == "DELETE")
        #expect(k("EXPLAIN ANALYZE DELETE FROM t").first?.verb == "DELETE")
        #expect(k("EXPLAIN DELETE FROM t").first?.kind == .read)
        // A DO block stands for the statements of its body; one whose body does nothing readable stays procedural.
        #expect(k("DO $$ BEGIN DROP TABLE x; END $$").map(\.kind) == [.ddl])
        #expect(k("DO $$ BEGIN DROP TABLE x; END $$").first?.destructive == true)
        #expect(k("DO $$ DECLARE n int; BEGIN SELECT count(*) INTO n FROM t; RAISE NOTICE '%', n; END $$").map(\.kind) == [.read])
        #expect(k("DO $$ BEGIN RAISE NOTICE 'hi'; END $$").map(\.kind) == [.procedural])
        #expect(k("DO $$ BEGIN UPDATE t SET a = CASE WHEN b THEN 1 ELSE 2 END; END $$").first?.unbounded == true)
        #expect(k("EXEC sp_executesql N'TRUNCATE TABLE dbo.t'").first?.verb == "TRUNCATE")
        #expect(k("EXEC sp_rename 'a', 'b'").map(\.kind) == [.procedural])
        #expect(k("GRANT ALL ON t TO bob").first?.kind == .privilege)
        #expect(k("ALTER TABLE users DROP COLUMN ssn").first?.destructive == true)
        #expect(k("CREATE TABLE t (id int)").first?.tables == ["t"])
    }

    @Test("apply_patch bodies: add, update, delete, move, the lines each adds and removes, and how it reads after")
    func patch() {
        let changes = PatchParser.parse("*** Begin Patch\n*** Add File: a\n+x\n*** Update File: b\n*** Move to: c\n@@\n-old\n+new\n keep\n*** Delete File: d\n*** End Patch\n")
        var added = PatchParser.FileChange(operation: .add, path: "a")
        added.added = "x\n"
        added.after = "x\n"
        var moved = PatchParser.FileChange(operation: .move, path: "b", destination: "c")
        moved.added = "new\n"
        moved.removed = "old\n"
        moved.after = "new\nkeep\n"
        #expect(changes == [added, moved, .init(operation: .delete, path: "d")])
    }

    @Test("durations of token lifetimes")
    func durations() {
        #expect(ShellAnalyzer.durationSeconds("8760h") == 31_536_000)
        #expect(ShellAnalyzer.durationSeconds("1h30m") == 5400)
        #expect(ShellAnalyzer.durationSeconds("3600") == 3600)
        #expect(ShellAnalyzer.durationSeconds("soon") == nil)
    }

    @Test("reasons name the command and where it ran")
    func reasons() {
        let c = ShellAnalyzer.classify("ssh prod-db 'rm -rf /var/app'", context: ClassificationContext(cwd: "/srv"))
        #expect(c.reasons.contains { $0.className == "delete" && $0.text.contains("inside ssh prod-db") })
        #expect(c.targets.contains(ActionTarget(.path, "prod-db:/var/app", operation: "delete")), "remote paths are not local paths")
        #expect(c.isProduction)
    }

    @Test("sudo is a command family of its own: elevation is a capability, and a permission rule matches it first")
    func sudoFamily() {
        let elevated = ShellAnalyzer.classify("sudo apt-get install -y jq", context: ClassificationContext())
        #expect(elevated.commandFamilies.contains("sudo") && elevated.commandFamilies.contains("apt-get"), "\(elevated.commandFamilies)")
        #expect(!ShellAnalyzer.classify("sudo -l", context: ClassificationContext()).commandFamilies.contains("sudo"))
        #expect(!ShellAnalyzer.classify("apt-get install -y jq", context: ClassificationContext()).commandFamilies.contains("sudo"))
    }

    @Test("a kube context selected by one command carries to the session's later commands")
    func sessionContext() {
        let first = ShellAnalyzer.classify("kubectl config use-context prod-eu", context: ClassificationContext())
        #expect(first.selectedKubeContext == "prod-eu")
        let later = ShellAnalyzer.classify("kubectl delete pod x", context: ClassificationContext(kubeContext: "prod-eu"))
        #expect(later.isProduction)
        // Fetching a cluster's credentials makes it the current context too.
        #expect(ShellAnalyzer.classify("aws eks update-kubeconfig --name prod-cluster --region eu-west-1", context: ClassificationContext())
                    .selectedKubeContext == "prod-cluster")
        #expect(ShellAnalyzer.classify("aws eks update-kubeconfig --name dev --alias dev-eks", context: ClassificationContext())
                    .selectedKubeContext == "dev-eks")
        #expect(ShellAnalyzer.classify("gcloud container clusters get-credentials prod-gke --region europe-west1",
                                       context: ClassificationContext()).selectedKubeContext == "prod-gke")
    }

    @Test("a terraform workspace selected by one command carries to the session's later runs in that directory only")
    func sessionWorkspace() throws {
        let first = ShellAnalyzer.classify("terraform workspace select production", context: ClassificationContext(cwd: "/srv/infra"))
        let selected = try #require(first.selectedTerraformWorkspace)
        #expect(selected == TerraformWorkspace(name: "production", directory: "/srv/infra"))
        var context = ClassificationContext(cwd: "/srv/infra")
        context.terraformWorkspace = selected
        #expect(ShellAnalyzer.classify("terraform apply -auto-approve", context: context).isProduction)
        #expect(ShellAnalyzer.classify("terraform -chdir=/srv/infra destroy", context: context).isProduction)
        context.cwd = "/srv/other"
        #expect(!ShellAnalyzer.classify("terraform apply -auto-approve", context: context).isProduction,
                "another directory keeps its own workspace")
        context.cwd = "/srv/infra"
        let staging = ShellAnalyzer.classify("terraform workspace select staging && terraform apply", context: context)
        #expect(staging.selectedTerraformWorkspace?.name == "staging")
        #expect(!staging.isProduction, "a new selection replaces the old one")
    }

    @Test("classification of any input never crashes", arguments: [
        "", "\\", "'", "$(", "${", "\u{0}", String(repeating: "a|", count: 5000), String(repeating: "bash -c '", count: 30),
        "eval eval eval eval eval eval eval eval eval eval x", "find . -exec", "xargs", "sudo", "env", "ssh", "git push +",
    ])
    func robustness(_ text: String) {
        _ = ShellAnalyzer.classify(text, context: ClassificationContext(cwd: "/srv"))
    }
}
