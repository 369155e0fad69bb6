/// kubectl, oc, helm, kubectx/kubens, and container engines.
extension ShellAnalyzer {
    static let kubectlValued: Set<String> = [
        "-n", "--namespace", "--context", "--cluster", "--kubeconfig", "-s", "--server", "--user", "--as",
        "--as-group", "--as-uid", "--token", "-o", "--output", "-l", "--selector", "-f", "--filename", "-c",
        "--container", "--field-selector", "--sort-by", "--template", "-k", "--kustomize", "--type", "--image",
        "--replicas", "--duration", "--port", "--timeout", "--since", "--tail", "-p", "--patch", "--dry-run",
        "--overrides", "--request-timeout", "--certificate-authority", "--client-certificate", "--client-key",
        "--cache-dir", "--tls-server-name", "--profile", "--grace-period", "--cascade", "--target", "--env",
        "--from-literal", "--from-file", "--from-env-file", "--clusterrole", "--role", "--serviceaccount",
        "--group", "--audience", "--bound-object-kind", "--bound-object-name", "--bound-object-uid", "--subresource",
        "--chunk-size", "-v", "--v", "--field-manager", "--address", "--limits", "--requests", "--min", "--max",
        "--cpu-percent", "--restart", "--labels", "--name", "--protocol", "--target-port", "--to-revision",
        "--verb", "--resource", "--resource-name", "--non-resource-url", "--aggregation-rule",
    ]
    static let kubectlDeployVerbs: Set<String> = [
        "apply", "create", "replace", "patch", "scale", "autoscale", "set", "edit", "expose", "run", "rollout",
        "label", "annotate", "cordon", "uncordon", "drain", "taint", "kustomize-apply",
    ]

    /// kubectl verbs that ask nothing of a namespace, whatever `-A` says.
    static let kubectlClusterWideVerbs: Set<String> = [
        "auth", "api-resources", "api-versions", "version", "cluster-info", "config", "completion", "explain", "plugin",
        "certificate", "cordon", "uncordon", "drain", "taint",
    ]
    /// Kinds that have no namespace (plural, singular and short names).
    static let clusterScopedKinds: Set<String> = [
        "nodes", "node", "no", "namespaces", "namespace", "ns", "persistentvolumes", "persistentvolume", "pv",
        "clusterroles", "clusterrole", "clusterrolebindings", "clusterrolebinding", "storageclasses", "storageclass", "sc",
        "customresourcedefinitions", "customresourcedefinition", "crd", "crds", "apiservices", "apiservice",
        "priorityclasses", "priorityclass", "pc", "csidrivers", "csidriver", "csinodes", "csinode", "volumeattachments",
        "volumeattachment", "mutatingwebhookconfigurations", "mutatingwebhookconfiguration",
        "validatingwebhookconfigurations", "validatingwebhookconfiguration", "ingressclasses", "ingressclass",
        "runtimeclasses", "runtimeclass", "certificatesigningrequests", "certificatesigningrequest", "csr",
        "componentstatuses", "componentstatus", "cs", "podsecuritypolicies", "podsecuritypolicy", "psp",
    ]

    /// Whether every kind `kubectl get` was given (`nodes`, `node/worker-1`, `pv,sc`,
    /// `clusterroles.rbac.authorization.k8s.io`) has no namespace; false when none is named.
    static func isClusterScoped(_ object: String) -> Bool {
        let kinds = object.lowercased().split(separator: ",").map { kind -> Substring in
            let type = kind.split(separator: "/", maxSplits: 1).first ?? kind
            return type.split(separator: ".", maxSplits: 1).first ?? type
        }
        return !kinds.isEmpty && kinds.allSatisfy { clusterScopedKinds.contains(String($0)) }
    }

    /// A `kubectl cp` operand in a pod: `POD:PATH` or `NAMESPACE/POD:PATH` (nil: a local path).
    static func podOperand(_ operand: String) -> (namespace: String?, pod: String, path: String)? {
        guard let colon = operand.firstIndex(of: ":"), !operand.hasPrefix("/"), !operand.hasPrefix("."),
              !PathNormalizer.isWindows(operand) else { return nil }
        let parts = operand[..<colon].split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let pod = parts.last ?? ""
        let path = String(operand[operand.index(after: colon)...])
        guard !pod.isEmpty, !path.isEmpty else { return nil }
        return (parts.count == 2 && !parts[0].isEmpty ? parts[0] : nil, pod, path)
    }

    /// The pod an exec, attach or port-forward names: `pod/web-0` and `pods/web-0` are `web-0`; another kind
    /// (`deploy/api`, `svc/web`) stays as given: the client picks one of its pods.
    static func podName(_ object: String) -> String {
        for prefix in ["pod/", "pods/", "po/"] where object.lowercased().hasPrefix(prefix) && object.count > prefix.count {
            return String(object.dropFirst(prefix.count))
        }
        return object
    }

    /// `kubectl cp [NAMESPACE/]POD:PATH LOCAL` (or the other way): the pod's file as `pod/POD:PATH`, as an
    /// exec into the pod names it (a copy out of the pod is read like any copied file), the local one as a
    /// written or copied path.
    mutating func podCopy(from source: String, to destination: String, program: String) {
        func remote(_ operand: String) -> (pod: String, path: String)? {
            ShellAnalyzer.podOperand(operand).map { ($0.pod, $0.path) }
        }
        if let from = remote(source) {
            result.target(ActionTarget(.path, "pod/\(from.pod):\(from.path)", operation: "copy"))
            // Secret material copied out of the pod (its home is root's).
            if let pattern = context.policy.sensitivePaths.match(from.path, home: "/root") {
                add(.sensitiveRead, "copies secret material \(from.path) out of pod \(from.pod) (matches \(pattern); \(program) cp)")
            }
            if remote(destination) == nil {
                file(destination, "write", by: program)
                add(.write, "copies \(from.path) out of pod \(from.pod) to \(path(destination)) (\(program) cp)")
            }
        } else if let to = remote(destination) {
            file(source, "upload", by: program)
            result.target(ActionTarget(.path, "pod/\(to.pod):\(to.path)", operation: "write"))
        }
    }

    mutating func kubernetes(_ command: ResolvedCommand) -> Bool {
        switch command.program {
        case "kubectl", "oc", "kubecolor",
             "k3s" where command.args.texts.first == "kubectl", "microk8s.kubectl":
            var args = command.args
            if command.program == "k3s" { args = CommandArguments(Array(args.words.dropFirst())) }
            kubectl(args, program: command.program == "oc" ? "oc" : "kubectl", stdin: command.stdinText)
        case "helm":
            helm(command.args)
        case "kubectx", "kubens":
            family(command.program, nil)
            if let name = command.args.positionals().first?.text, name != "-" {
                if command.program == "kubectx" {
                    kubeContext = name
                    environmentName(name, kind: .context, source: "kubectx")
                } else {
                    environmentName(name, kind: .namespace, source: "kubens")
                }
            }
        case "k9s":
            family("k9s", nil)
            add(.remoteExec, "opens an interactive cluster console (k9s)")
            if let context = command.args.value("--context") { environmentName(context, kind: .context, source: "k9s --context") }
        case "kustomize":
            family("kustomize", command.args.texts.first)
            // `kustomize build overlays/prod | kubectl apply -f -`: the overlay names the environment the line deploys.
            if command.args.texts.first == "build", let overlay = command.args.positionals().dropFirst().first?.text,
               let token = context.policy.production.match(overlay) {
                result.productionEvidence("manifest \(overlay) (\(token))")
                result.target(ActionTarget(.workspace, overlay))
            }
        case "flux":
            let texts = command.args.positionals(valued: ["-n", "--namespace", "--context", "--kubeconfig", "--timeout"]).map(\.text)
            family("flux", texts.first)
            if let namespace = command.args.value("-n", "--namespace") { environmentName(namespace, kind: .namespace, source: "flux namespace") }
            if let context = command.args.value("--context") { environmentName(context, kind: .context, source: "flux --context") }
            if texts.count >= 3, ["reconcile", "resume", "create"].contains(texts[0]) {
                environmentName(texts[2], kind: .app, source: "flux \(texts[1])")
                add(.deploy, "deploys with flux \(texts[0]) \(texts[1]) \(texts[2])")
            } else if texts.count >= 3, texts[0] == "delete" {
                environmentName(texts[2], kind: .app, source: "flux \(texts[1])")
                add(.delete, "deletes a Flux \(texts[1])")
            }
        case "argocd":
            let texts = command.args.positionals(valued: ["--server", "--auth-token", "--revision", "-l", "--selector"]).map(\.text)
            family("argocd", texts.prefix(2).joined(separator: " "))
            if texts.count >= 3, texts[0] == "app" {
                environmentName(texts[2], kind: .app, source: "argocd app")
                switch texts[1] {
                case "sync", "rollback", "set", "create", "patch":
                    if command.args.isDryRun { result.note("argocd app \(texts[1]) --dry-run changes nothing") } else { add(.deploy, "deploys with argocd app \(texts[1])") }
                case "delete": add(.delete, "deletes an Argo CD application")
                default: break
                }
            }
        default:
            return false
        }
        return true
    }

    /// Whether the command names where it acts (a namespace, a context) and none of it is production: a manifest's or
    /// values file's name (`prod-like-test.yaml`) then says nothing of where it deploys.
    func namesOnlyNonProduction(_ places: [String?]) -> Bool {
        let named = places.compactMap { $0 }
        return !named.isEmpty && named.allSatisfy { context.policy.production.match($0) == nil }
    }

    /// `stdin`: a here-document or here-string fed to it (`kubectl apply -f - <<EOF`).
    mutating func kubectl(_ a: CommandArguments, program: String, stdin: String? = nil) {
        let positionals = a.positionals(valued: ShellAnalyzer.kubectlValued).map(\.text)
        let verb = positionals.first ?? ""
        let object = positionals.count > 1 ? positionals[1] : ""
        var subject = positionals.dropFirst().prefix(2).joined(separator: " ")
        if subject.isEmpty, let file = a.value("-f", "--filename") { subject = "-f \(file)" }
        family(program, verb)
        let contextName = a.value("--context") ?? kubeContext
        if let contextName { environmentName(contextName, kind: .context, source: "\(program) context") }
        if let cluster = a.value("--cluster") { environmentName(cluster, kind: .cluster, source: "\(program) cluster") }
        if let server = a.value("-s", "--server") {
            result.target(ActionTarget(.url, server))
            if let host = ShellAnalyzer.urlHost(server) { environmentName(host, kind: .host, source: "API server") }
        }
        if let kubeconfig = a.value("--kubeconfig") ?? variables["KUBECONFIG"] {
            environmentName(ShellAnalyzer.basename(kubeconfig), kind: .context, source: "kubeconfig")
        }
        let namespace = a.value("-n", "--namespace")
        if let namespace { environmentName(namespace, kind: .namespace, source: "namespace") }
        // Across all namespaces: only what a request for namespaced objects does (not a permission query, nor a
        // listing of nodes, namespaces or other cluster-wide objects, which have no namespace).
        if a.has("-A", "--all-namespaces"), !ShellAnalyzer.kubectlClusterWideVerbs.contains(verb),
           !ShellAnalyzer.isClusterScoped(object) {
            result.target(ActionTarget(.namespace, "*"))
        }
        // A manifest's name says where it deploys unless the command names the place (`-n dev`, `--context kind-dev`).
        let placeIsNotProduction = namesOnlyNonProduction([a.value("-n", "--namespace"), contextName])
        for file in a.values("-f", "--filename") + a.values("-k", "--kustomize") where !file.hasPrefix("http") && file != "-" {
            result.target(ActionTarget(.path, path(file), operation: "read"))
            if !placeIsNotProduction, let token = context.policy.production.match(file) {
                result.productionEvidence("manifest \(file) (\(token))")
                result.target(ActionTarget(.workspace, file))
            }
        }
        if let user = a.value("--as") {
            result.target(ActionTarget(.principal, user))
            // `kubectl auth can-i … --as=X` asks what X may do: a question, which changes and reads nothing.
            if verb == "auth" {
                result.note("\(program) auth … --as \(user) asks what \(user) may do")
            } else {
                add(.privilege, "impersonates \(user) (\(program) --as)")
            }
        }
        if !object.isEmpty && !object.hasPrefix("-") && verb != "exec" && verb != "config" && verb != "cp" && verb != "rsync" {
            // (`kubectl run NAME -- COMMAND`: the pod is NAME; what follows is what it runs.)
            result.target(ActionTarget(.resource, verb == "run" ? "pod \(object)" : subject))
        }
        let dryRun = a.isDryRun
        switch verb {
        case "delete":
            if dryRun { result.note("\(program) delete --dry-run changes nothing"); return }
            add(.delete, "deletes cluster resources (\(program) delete \(subject))")
            // `namespace prod`, or `namespace/prod` in one word.
            let slashed = object.split(separator: "/", maxSplits: 1).map(String.init)
            if object == "namespace" || object == "ns" || slashed.count == 2 && ["namespace", "namespaces", "ns"].contains(slashed[0]) {
                let name = slashed.count == 2 ? slashed[1] : positionals.count > 2 ? positionals[2] : "?"
                result.target(ActionTarget(.namespace, name, operation: "delete"))
                if let token = context.policy.production.match(name) { result.productionEvidence("deleted namespace \(name) (\(token))") }
            }
        case "exec", "attach", "port-forward", "cp", "debug", "proxy", "rsh", "rsync":
            // The pod by name (`web-0`, `pod/web-0`), or a workload whose pod the client picks (`deploy/api`); a copy
            // names it in its remote operand (`POD:PATH`, `NS/POD:PATH`).
            var pod = ShellAnalyzer.podName(object)
            if verb == "cp" || verb == "rsync", positionals.count >= 3,
               let remote = [positionals[1], positionals[2]].lazy.compactMap(ShellAnalyzer.podOperand).first {
                pod = remote.pod
                // `NS/POD:PATH` names the pod's namespace, whatever `-n` says.
                if let podNamespace = remote.namespace, podNamespace != namespace {
                    environmentName(podNamespace, kind: .namespace, source: "namespace")
                }
            }
            if !pod.isEmpty { result.target(ActionTarget(.resource, "pod \(pod)", operation: verb)) }
            add(.remoteExec, "\(verb) into a pod (\(program) \(verb) \(pod))")
            // `kubectl debug node/NAME`: a pod in the node's namespaces with its root file system mounted at /host.
            if verb == "debug", object.hasPrefix("node/") || object.hasPrefix("nodes/") {
                add(.highRisk, "opens a shell on a node with its host namespaces and root file system (\(program) debug \(object))")
            }
            if verb == "exec" || verb == "rsh", let inner = a.afterDoubleDash, !inner.isEmpty {
                nested(argv: inner, origin: "\(program) exec \(pod)", remote: "pod/\(pod)")
                // `kubectl exec -i pod -- sh <<EOF … EOF`: the shell in the pod runs the here-document; `-- psql <<EOF` reads it.
                if let stdin {
                    remoteInput(stdin, command: ShellQuoting.join(inner.map(\.text)), origin: "\(program) exec \(pod)", remote: "pod/\(pod)")
                }
            }
            if verb == "cp" || verb == "rsync", positionals.count >= 3 { podCopy(from: positionals[1], to: positionals[2], program: program) }
        case "get", "describe",
             "edit" where dryRun:
            break
        case "config":
            let action = object
            if action == "use-context" || action == "use", positionals.count > 2 {
                kubeContext = positionals[2]
                environmentName(positionals[2], kind: .context, source: "kubectl config use-context")
            } else if action == "view" && a.has("--raw", "--flatten") {
                add(.sensitiveRead, "prints cluster credentials (kubectl config view --raw)")
            } else if action == "set-credentials" {
                add(.credential, "stores cluster credentials (kubectl config set-credentials)")
            }
            return
        case "diff", "explain", "api-resources", "api-versions", "version", "cluster-info", "top", "logs", "events",
             "wait", "completion", "plugin", "certificate":
            if verb == "certificate" && object == "approve" { add(.privilege, "approves a certificate signing request") }
            return
        case "auth":
            if object == "reconcile" { add(.privilege, "reconciles RBAC rules (kubectl auth reconcile)") }
            return
        default:
            break
        }
        // `oc extract secret/db --to=-`: writes a secret's keys out.
        if verb == "extract", object.lowercased().hasPrefix("secret/") || object.lowercased().hasPrefix("secrets/") {
            add(.sensitiveRead, "reads Kubernetes secrets (\(program) extract \(object))")
            result.target(ActionTarget(.secret, subject))
            return
        }
        if verb == "get" || verb == "describe" {
            // `kubectl get --raw /api/v1/namespaces/x/secrets/db`: the API path names the resource.
            if let raw = a.value("--raw"), raw.split(separator: "?").first?.split(separator: "/").contains(where: { $0 == "secrets" }) == true {
                add(.sensitiveRead, "reads Kubernetes secrets through the API (\(program) get --raw \(raw))")
                result.target(ActionTarget(.secret, raw))
                return
            }
            // `secrets.v1`, `secret.v1.`, `secrets/db`: the resource is the part before a group or a name.
            let resources = object.lowercased().split(separator: ",").map { $0.prefix { $0 != "." && $0 != "/" } }
            if resources.contains(where: { $0 == "secret" || $0 == "secrets" }) {
                add(.sensitiveRead, "reads Kubernetes secrets (\(program) \(verb) \(subject))")
                result.target(ActionTarget(.secret, subject))
                // `kubectl get secret a b`: each secret named.
                if !object.contains("/"), resources == ["secret"] || resources == ["secrets"] {
                    for name in positionals.dropFirst(3) where !name.isEmpty { result.target(ActionTarget(.secret, "secret \(name)")) }
                }
            }
            return
        }
        guard ShellAnalyzer.kubectlDeployVerbs.contains(verb) else { return }
        if verb == "rollout" && !["restart", "undo", "pause", "resume"].contains(object) { return }
        if verb == "create" && object == "token" {
            let account = positionals.count > 2 ? positionals[2] : "?"
            let duration = a.value("--duration")
            // `--duration=$((24*365))h` is worked out; a lifetime the line does not give (`--duration=$TTL`) may be any.
            let seconds = duration.flatMap { ShellAnalyzer.durationSeconds(ShellArithmetic.expanded($0)) }
            if duration != nil && seconds == nil { result.note("the token's lifetime \(duration!) is not known before it runs: taken as long") }
            result.target(ActionTarget(.credential, "serviceaccount \(account)", operation: "mint",
                                       lifetimeSeconds: seconds ?? (duration == nil ? 3600 : Int64.max / 2)))
            add(.credential, "mints a service-account token for \(account)\(duration.map { " lasting \($0)" } ?? "") (kubectl create token)")
            return
        }
        // `kubectl create secret generic app --from-env-file=.env.production`, `--from-file=id_rsa=~/.ssh/id_rsa`: the files
        // are read (into the cluster), however secret.
        if verb == "create" && (object == "secret" || object.hasPrefix("secret") || object == "configmap" || object == "cm") {
            for source in a.values("--from-file") + a.values("--from-env-file") {
                let file = source.split(separator: "=", maxSplits: 1).last.map(String.init) ?? source
                self.file(file, "read", by: "\(program) create \(object)")
            }
        }
        // A manifest fed in the line (`kubectl apply -f - <<EOF`, `cat <<EOF | kubectl create -f -`): its namespaces,
        // and what its objects are (bindings, a legacy token).
        let manifest = a.values("-f", "--filename").contains("-") && ["apply", "create", "replace"].contains(verb)
            ? stdin.map(ManifestSummary.init(text:)) : nil
        if let manifest, !dryRun {
            if a.value("-n", "--namespace") == nil {
                for namespace in manifest.namespaces { environmentName(namespace, kind: .namespace, source: "manifest namespace") }
            }
            for name in manifest.legacyTokenSecrets {
                add(.credential, "creates a legacy, non-expiring service-account token secret (in the manifest it is fed)")
                result.target(ActionTarget(.credential, "legacy token secret \(name)", operation: "mint", lifetimeSeconds: Int64.max / 2))
            }
            if manifest.changesRBAC {
                let kinds = manifest.kinds.filter { ManifestSummary.rbacKinds.contains($0) }
                add(.privilege, "changes RBAC (\(program) \(verb) of a \(kinds.joined(separator: ", "))"
                    + (manifest.roles.isEmpty ? "" : " to \(manifest.roles.joined(separator: ", "))") + " in the manifest it is fed)")
            }
        }
        if verb == "create" && (object == "secret" || object.hasPrefix("secret")),
           a.value("--type") == "kubernetes.io/service-account-token" {
            add(.credential, "creates a legacy, non-expiring service-account token secret")
            let name = positionals.count > 3 ? positionals[3] : positionals.last ?? "?"
            result.target(ActionTarget(.credential, "legacy token secret \(name)", operation: "mint", lifetimeSeconds: Int64.max / 2))
            return
        }
        // RBAC: creating, patching, editing or replacing (cluster)roles and bindings, `kubectl set subject`.
        let rbacObject = verb == "set" && object == "subject" ? (positionals.count > 2 ? positionals[2] : "") : object
        if ["create", "patch", "edit", "replace", "set"].contains(verb) && ShellAnalyzer.isRBACObject(rbacObject) {
            if dryRun {
                result.note("\(program) \(verb) \(rbacObject) with --dry-run changes nothing")
                return
            }
            let role = a.value("--clusterrole") ?? a.value("--role") ?? ""
            let roleText = role.isEmpty ? "" : " --\(a.value("--clusterrole") != nil ? "clusterrole" : "role")=\(role)"
            add(.privilege, "changes RBAC (\(program) \(verb) \(subject)\(roleText))")
            return
        }
        if dryRun {
            result.note("\(program) \(verb) with --dry-run changes nothing")
            return
        }
        add(.deploy, "changes cluster workloads (\(program) \(verb) \(subject))")
        if verb == "run" || verb == "create" || verb == "apply", let overrides = a.value("--overrides"),
           overrides.contains("\"privileged\":true") || overrides.contains("\"privileged\": true") || overrides.contains("hostPID") {
            add(.highRisk, "runs a privileged pod")
        }
        if verb == "run" && (a.has("--privileged")) { add(.highRisk, "runs a privileged pod") }
        // `kubectl run tmp -it --image=busybox -- sh`: it attaches to the pod it runs (and with `--rm` removes it after).
        if verb == "run", !object.isEmpty, a.hasShort("i") || a.hasShort("t") || a.has("--stdin", "--tty", "--attach") {
            add(.remoteExec, "attaches to the pod it runs (\(program) run \(object) -it)")
            result.target(ActionTarget(.resource, "pod \(object)", operation: "attach"))
        }
        // `kubectl apply -f - <<EOF … privileged: true … EOF`: the manifest is in the line.
        if a.values("-f", "--filename").contains("-"), let stdin, let setting = PrivilegedPod.setting(inManifest: stdin) {
            add(.highRisk, "deploys a privileged pod (\(setting) in the manifest it is fed)")
        }
        // `kubectl patch deploy api -p '{"spec":{"template":{"spec":{"hostPID":true}}}}'`
        if verb == "patch", let patch = a.value("-p", "--patch"), let setting = PrivilegedPod.setting(inManifest: patch) {
            add(.highRisk, "makes pods privileged (\(setting) in the patch)")
        }
    }

    /// `rolebinding`, `clusterrolebindings/name`, `role.rbac.authorization.k8s.io`, …
    static func isRBACObject(_ object: String) -> Bool {
        let kind = object.lowercased().split(separator: "/").first.map(String.init) ?? ""
        let base = kind.split(separator: ".").first.map(String.init) ?? kind
        return ["rolebinding", "rolebindings", "clusterrolebinding", "clusterrolebindings", "role", "roles", "clusterrole",
                "clusterroles"].contains(base)
    }

    /// helm's options that take a value as the next word.
    static let helmValued: Set<String> = ["-n", "--namespace", "--kube-context", "--kubeconfig", "-f", "--values", "--set",
                                          "--set-string", "--set-file", "--version", "--repo", "--timeout", "-o", "--output",
                                          "--post-renderer", "--description", "--history-max", "--registry-config"]

    mutating func helm(_ a: CommandArguments) {
        let positionals = a.positionals(valued: ShellAnalyzer.helmValued).map(\.text)
        let verb = positionals.first ?? ""
        family("helm", verb)
        // `helm unittest chart/` (the plugin) tests templates; `helm test RELEASE` runs a release's test pods.
        if verb == "unittest" { testRunner("helm unittest") }
        if let contextName = a.value("--kube-context") ?? kubeContext {
            environmentName(contextName, kind: .context, source: "helm context")
        }
        if let namespace = a.value("-n", "--namespace") { environmentName(namespace, kind: .namespace, source: "namespace") }
        // A values file's name says where it deploys unless the command names the place (`-n dev`).
        let placeIsNotProduction = namesOnlyNonProduction([a.value("-n", "--namespace"), a.value("--kube-context")])
        for values in a.values("-f", "--values") {
            result.target(ActionTarget(.path, path(values), operation: "read"))
            if !placeIsNotProduction, let token = context.policy.production.match(ShellAnalyzer.basename(values)) {
                result.productionEvidence("values file \(values) (\(token))")
                result.target(ActionTarget(.workspace, values))
            }
        }
        let release = positionals.count > 1 ? positionals[1] : ""
        if !release.isEmpty { environmentName(release, kind: .app, source: "helm release") }
        switch verb {
        case "install", "upgrade", "rollback":
            if a.isDryRun { result.note("helm \(verb) --dry-run changes nothing"); return }
            add(.deploy, "deploys a release (helm \(verb) \(release))")
        case "uninstall", "delete", "del", "un":
            if a.isDryRun { result.note("helm \(verb) --dry-run changes nothing"); return }
            add(.delete, "removes a release (helm \(verb) \(release))")
        case "get":
            if positionals.count > 1 && (positionals[1] == "values" || positionals[1] == "all") {
                add(.read, "reads a release's values (helm get \(positionals[1]))")
            }
        default:
            break
        }
    }

    mutating func containers(_ command: ResolvedCommand) -> Bool {
        let p = command.program
        guard ["docker", "podman", "nerdctl", "docker-compose", "finch", "ctr", "crictl"].contains(p) else { return false }
        var words = command.args.words
        // Global options before the subcommand.
        var host: String?
        while let first = words.first, first.text.hasPrefix("-") {
            if ["-H", "--host", "-c", "--context", "--config", "--log-level", "-l", "--url", "--connection"].contains(first.text),
               words.count > 1 {
                if first.text == "-H" || first.text == "--host" || first.text == "--url" || first.text == "-c" || first.text == "--context" {
                    host = words[1].text
                }
                words.removeFirst(2)
            } else {
                words.removeFirst()
            }
        }
        if p == "docker-compose" { words.insert(ShellWord(text: "compose"), at: 0) }
        let sub = words.first?.text ?? ""
        var a = CommandArguments(Array(words.dropFirst()))
        var verb = sub
        if sub == "compose" || sub == "container" || sub == "image" || sub == "volume" || sub == "network"
            || sub == "system" || sub == "builder" || sub == "stack" || sub == "service" {
            let inner = a.positionals(valued: ["-f", "--file", "-p", "--project-name", "--env-file", "--profile"]).first?.text ?? ""
            verb = "\(sub) \(inner)"
            a = CommandArguments(Array(a.words.drop { $0.text != inner }.dropFirst()))
        }
        family(p == "docker-compose" ? "docker" : p, verb)
        // `docker compose -f docker-compose.prod.yml up -d`, `docker stack deploy -c prod.yml api`: a deploy when the
        // file, project or host names production (elsewhere, containers started on a developer's machine).
        if ["compose up", "compose pull", "stack deploy", "service update", "compose restart"].contains(verb) {
            let files = CommandArguments(Array(words.dropFirst())).values("-f", "--file", "-c", "--compose-file")
                + [CommandArguments(Array(words.dropFirst())).value("-p", "--project-name")].compactMap { $0 }
            // `docker stack deploy -c s.yml prod`: the stack's name.
            let stack = verb == "stack deploy" ? a.positionals(valued: ["-c", "--compose-file", "--resolve-image", "--prune"]).first?.text : nil
            let names = files + (host.map { [$0] } ?? []) + (stack.map { [$0] } ?? [])
            let production = context.policy.production
            if let token = names.compactMap({ production.match(ShellAnalyzer.basename($0)) }).first {
                add(.deploy, "deploys containers with \(p) \(verb)")
                result.productionEvidence("compose \(names.joined(separator: ", ")) (\(token))")
                for name in names where production.match(ShellAnalyzer.basename(name)) != nil {
                    result.target(ActionTarget(.workspace, ShellAnalyzer.basename(name)))
                }
            } else if verb == "stack deploy" || verb == "service update" {
                add(.deploy, "deploys to a swarm with \(p) \(verb)")
            }
        }
        if let host {
            result.target(ActionTarget(.host, host))
            environmentName(ShellAnalyzer.urlHost(host) ?? host, kind: .host, source: "\(p) host")
        }
        switch verb {
        case "run", "container run", "create", "container create", "compose run":
            privilegedContainer(a, program: p)
            // The command the container runs (`docker run --rm -v "$PWD":/src node:20 npm test`, `docker compose run --rm
            // api pytest`): what it does happens inside the container.
            if verb.hasSuffix("run"), let (image, argv) = ShellAnalyzer.containerCommand(a), !argv.isEmpty {
                nested(argv: argv, origin: "\(p) \(verb) \(image)", remote: "container/\(image)")
            }
        case "inspect", "container inspect":
            // The whole configuration, the container's environment (its secrets, often) included, unless a
            // format picks something else.
            if let format = a.value("-f", "--format"), !format.lowercased().contains("env") {
                result.note("\(p) inspect --format prints only what the format names")
            } else {
                add(.sensitiveRead, "prints a container's configuration, its environment included (\(p) inspect)")
            }
        case "exec", "attach", "container exec", "container attach", "compose exec":
            // Options, then the container (or service), then the command with its own options.
            let valued: Set<String> = ["-e", "--env", "-u", "--user", "-w", "--workdir", "--env-file", "--detach-keys", "--index"]
            var index = 0
            while index < a.words.count, a.words[index].text.hasPrefix("-") {
                if valued.contains(a.words[index].text) { index += 1 }
                index += 1
            }
            let container = index < a.words.count ? a.words[index].text : ""
            add(.remoteExec, "runs commands inside the container \(container) (\(p) \(verb))")
            result.target(ActionTarget(.resource, "container \(container)", operation: "exec"))
            if index + 1 < a.words.count {
                let inner = Array(a.words[(index + 1)...])
                nested(argv: inner, origin: "\(p) exec \(container)", remote: "container/\(container)")
                // `docker exec -i web sh <<EOF … EOF`: the shell in the container runs the here-document; `psql <<SQL` reads it.
                if let stdin = command.stdinText {
                    remoteInput(stdin, command: ShellQuoting.join(inner.map(\.text)), origin: "\(p) exec \(container)",
                                remote: "container/\(container)")
                }
            }
        case "rm", "rmi", "container rm", "image rm", "volume rm", "network rm", "system prune", "container prune",
             "image prune", "volume prune", "network prune", "builder prune", "compose rm", "stack rm", "service rm",
             "kill", "container kill":
            add(.delete, "removes containers, images or volumes (\(p) \(verb))")
        case "compose down":
            if a.hasShort("v") || a.has("--volumes", "--rmi") {
                add(.delete, "removes the project's volumes or images (\(p) compose down \(a.texts.filter { $0.hasPrefix("-") }.joined(separator: " ")))")
            }
        case "push", "image push", "compose push":
            add(.deploy, "publishes an image (\(p) push)")
            if let image = a.positionals().first?.text { result.target(ActionTarget(.image, image, operation: "push")) }
            add(.network, "pushes to a registry")
        case "stack deploy", "service update", "service create", "service scale":
            add(.deploy, "deploys a swarm stack or service (\(p) \(verb))")
        case "cp", "container cp":
            add(.remoteExec, "copies files in or out of a container (\(p) cp)")
            // A local file copied in (`docker cp .env web:/app/.env`) is read; one copied out is written.
            let ends = a.positionals().map(\.text)
            if ends.count == 2 {
                let intoContainer = ends[1].contains(":") && !ends[0].contains(":")
                if intoContainer { file(ends[0], "upload", by: "\(p) cp") } else if ends[0].contains(":") { file(ends[1], "write", by: "\(p) cp") }
            }
        case "login":
            add(.credential, "stores registry credentials (\(p) login)")
        default:
            if host != nil && (verb.hasPrefix("compose up") || verb == "compose up" || verb == "start" || verb == "restart") {
                add(.deploy, "starts services on \(host ?? "a remote engine") (\(p) \(verb))")
            }
        }
        return true
    }

    /// The image (or compose service) and the command of `docker run` / `docker compose run` arguments, after their
    /// options.
    static func containerCommand(_ a: CommandArguments) -> (image: String, argv: [ShellWord])? {
        let valued: Set<String> = ["-e", "--env", "--env-file", "-v", "--volume", "-w", "--workdir", "-u", "--user", "-p", "--publish",
                                   "--name", "--network", "--net", "-m", "--memory", "--cpus", "--entrypoint", "-l", "--label",
                                   "--mount", "--platform", "--pull", "--restart", "--add-host", "--device", "--dns", "-h",
                                   "--hostname", "--ipc", "--pid", "--cap-add", "--cap-drop", "--security-opt", "--tmpfs",
                                   "--ulimit", "--log-driver", "--log-opt", "--gpus", "--runtime", "--shm-size", "--stop-signal",
                                   "--stop-timeout", "--group-add", "--cidfile", "--expose", "--link", "--volumes-from",
                                   "--memory-swap", "--cpuset-cpus", "--userns", "--uts", "--label-file", "--health-cmd", "-a",
                                   "--attach", "-c", "--cpu-shares", "--ip", "--ip6", "--sysctl", "--pids-limit", "--health-interval",
                                   "--health-timeout", "--health-retries", "--health-start-period", "--oom-score-adj",
                                   "--memory-reservation", "--kernel-memory", "--blkio-weight", "--cgroup-parent", "--cgroupns",
                                   "--domainname", "--mac-address", "--network-alias", "--isolation", "--storage-opt",
                                   "--volume-driver", "--annotation", "--device-cgroup-rule", "--cpu-period", "--cpu-quota",
                                   "--cpuset-mems", "--dns-option", "--dns-search", "--link-local-ip", "--stop-timeout"]
        var index = 0
        while index < a.words.count, a.words[index].text.hasPrefix("-") {
            let text = a.words[index].text
            if valued.contains(text) { index += 1 }
            index += 1
        }
        guard index < a.words.count else { return nil }
        return (a.words[index].text, Array(a.words[(index + 1)...]))
    }

    /// `--privileged`, host namespaces, the host root or the engine socket mounted.
    mutating func privilegedContainer(_ a: CommandArguments, program: String) {
        if a.has("--privileged") { add(.highRisk, "runs a privileged container (\(program) run --privileged)") }
        for flag in ["--pid", "--network", "--net", "--ipc", "--uts", "--userns"] where a.value(flag) == "host" {
            add(.highRisk, "shares a host namespace with the container (\(flag)=host)")
        }
        for capability in a.values("--cap-add") where ["ALL", "SYS_ADMIN", "SYS_PTRACE", "SYS_MODULE", "NET_ADMIN"].contains(capability.uppercased()) {
            add(.highRisk, "adds the \(capability) capability to the container")
        }
        for option in a.values("--security-opt") where option.contains("unconfined") || option.contains("label=disable") {
            add(.highRisk, "disables container confinement (--security-opt \(option))")
        }
        for volume in a.values("-v", "--volume", "--mount") {
            let source = volume.split(separator: ":").first.map(String.init) ?? volume
            if source == "/" || volume.contains("source=/,") || volume.hasPrefix("/:") {
                add(.highRisk, "mounts the host root file system into the container")
            }
            if volume.contains("docker.sock") || volume.contains("containerd.sock") {
                add(.highRisk, "mounts the container engine socket into the container")
            }
            // `-v ~/.aws:/root/.aws`, `--mount type=bind,source=~/.ssh,…`: the container is handed secret material.
            var mounted = source
            if volume.hasPrefix("type=") || volume.contains("source=") || volume.contains("src=") {
                mounted = volume.split(separator: ",").first { $0.hasPrefix("source=") || $0.hasPrefix("src=") }
                    .map { String($0.split(separator: "=", maxSplits: 1).last ?? "") } ?? ""
            }
            if !mounted.isEmpty, mounted.hasPrefix("/") || mounted.hasPrefix("~") || mounted.hasPrefix("$HOME") {
                let resolved = path(mounted.hasPrefix("$HOME") ? "~" + mounted.dropFirst(5) : mounted)
                if let pattern = context.policy.sensitivePaths.match(resolved, home: context.home)
                    ?? context.policy.sensitivePaths.sensitiveFileInside(directory: resolved, home: context.home)?.pattern {
                    add(.sensitiveRead, "hands the container secret material \(resolved) (mounted; matches \(pattern))")
                    result.target(ActionTarget(.path, resolved, operation: "copy"))
                }
            }
        }
    }

    /// `8760h`, `30m`, `3600s`, `3600`, `1h30m` → seconds.
    static func durationSeconds(_ text: String) -> Int64? {
        var total: Int64 = 0
        var number: Int64 = 0
        var sawDigit = false
        var sawUnit = false
        for ch in text.lowercased() {
            if let digit = ch.wholeNumberValue {
                number = number * 10 + Int64(digit)
                sawDigit = true
                continue
            }
            let unit: Int64
            switch ch {
            case "s": unit = 1
            case "m": unit = 60
            case "h": unit = 3600
            case "d": unit = 86_400
            case "w": unit = 604_800
            case "y": unit = 31_536_000
            default: return nil
            }
            total += number * unit
            number = 0
            sawUnit = true
        }
        if !sawDigit { return nil }
        return sawUnit ? total + number : number
    }
}
