/// Decoder for Kubernetes API server audit events (`audit.k8s.io/v1`, `reference/log-formats.md`
/// §3): one `Event` per line, or an `EventList` (webhook batches). Every stage is kept; all
/// stages of one request share the call id `auditID`, so checks see one action, judged by
/// `ResponseComplete` (or `ResponseStarted` for exec and watch). The content key is
/// `auditID`+`stage` with what identifies the request (verb, URI, user, impersonated user; its
/// times too when it has no audit ID), so the same request seen twice (file and webhook copies, at
/// any audit level, with or without their times) is stored once, and different requests are never
/// taken for copies of each other: a client may choose its own audit ID (the `Audit-ID` request
/// header), and events may have none. The call id is the audit ID with a hash of the same identity.
struct K8sAuditDecoder: FormatDecoder {
    var format: LogFormat { .k8sAudit }

    static let workloadResources: Set<String> = [
        "deployments", "statefulsets", "daemonsets", "replicasets", "pods", "jobs", "cronjobs", "services", "ingresses",
        "configmaps", "horizontalpodautoscalers", "replicationcontrollers", "networkpolicies", "persistentvolumeclaims",
        "serviceaccounts", "namespaces", "poddisruptionbudgets", "customresourcedefinitions", "mutatingwebhookconfigurations",
        "validatingwebhookconfigurations", "ingressclasses", "gateways", "httproutes", "virtualservices", "rollouts",
        "applications", "helmreleases", "kustomizations",
    ]
    static let rbacResources: Set<String> = ["rolebindings", "clusterrolebindings", "roles", "clusterroles"]
    static let namespacedResources: Set<String> = workloadResources.subtracting(["namespaces", "customresourcedefinitions",
        "mutatingwebhookconfigurations", "validatingwebhookconfigurations", "ingressclasses"]).union(["secrets", "rolebindings", "roles", "events", "endpoints", "leases"])

    func decode(_ root: JSONValue, line: DecodeLine, state: DecodingState,
                into events: inout [EventRecord]) throws(LineRejection) {
        if root["kind"]?.isString("EventList") == true {
            let items = root["items"]?.elements ?? []
            let before = events.count
            for (index, item) in items.enumerated() where item.isObject {
                var event = decodeEvent(item, state: state)
                event.recordIndex = index
                events.append(event)
            }
            // Items that are no Event object (a number, a string) cannot be read: with some that could, those are
            // flagged; with none, the line is rejected, never dropped in silence.
            let unreadable = items.count - (events.count - before)
            if unreadable > 0 {
                guard events.count > before else {
                    throw LineRejection(reason: LineRejection.invalidField,
                                        detail: "k8s-audit: no item of the EventList is an Event object (\(items.count) items)")
                }
                for index in before..<events.count { events[index].flags.insert(.invalidField) }
            }
            return
        }
        events.append(decodeEvent(root, state: state))
    }

    func decodeEvent(_ e: JSONValue, state: DecodingState) -> EventRecord {
        var flags: EventFlags = []
        let auditID = DecodeSupport.text(e["auditID"], &flags) ?? ""
        let stage = DecodeSupport.text(e["stage"], &flags) ?? "?"
        let verb = DecodeSupport.text(e["verb"], &flags) ?? "?"
        let username = DecodeSupport.text(e["user"]?["username"], &flags) ?? "?"
        let object = e["objectRef"]
        var resource = DecodeSupport.text(object?["resource"], &flags)
        var subresource = DecodeSupport.text(object?["subresource"], &flags)
        var namespace = DecodeSupport.text(object?["namespace"], &flags)
        // A create names its object in the body (the path ends at the collection); some servers log no name then.
        let uri = DecodeSupport.text(e["requestURI"], &flags) ?? ""
        // A list or watch of one object names it in its field selector (`kubectl get secret db -w`, `kubectl wait`).
        var name = DecodeSupport.text(object?["name"], &flags)
            ?? DecodeSupport.text(e["requestObject"]?["metadata"]?["name"], &flags)
            ?? DecodeSupport.text(e["responseObject"]?["metadata"]?["name"], &flags)
            ?? K8sAuditDecoder.selectedName(uri)
        // No `objectRef` (an event cut down by a shipper): the object as the request's path names it.
        if object == nil, let parsed = K8sAuditDecoder.objectFromPath(uri) {
            resource = parsed.resource
            subresource = parsed.subresource
            namespace = parsed.namespace
            if name == nil { name = parsed.name }
        }
        // The kubelet's API reached through the API server's node proxy (`/api/v1/nodes/N/proxy/exec/ns/pod/c?command=…`)
        // runs a command in a pod without `pods/exec` (a known way around it): the pod's own kind of access.
        let kubelet = resource == "nodes" && subresource == "proxy" ? K8sAuditDecoder.kubeletAccess(uri) : nil
        if let kubelet {
            resource = "pods"
            subresource = kubelet.access
            namespace = kubelet.namespace
            name = kubelet.pod
        }
        let code = e["responseStatus"]?["code"]?.int64
        let annotations = e["annotations"]
        let decisionText = annotations?.member("authorization.k8s.io/decision")?.string
        let impersonated = DecodeSupport.text(e["impersonatedUser"]?["username"], &flags)

        var event = EventRecord(format: .k8sAudit, kind: stage == "RequestReceived" ? .permissionRequest : .toolCall)
        event.name = "k8s.\(stage)"
        // A request happened when the server received it: an exec or a watch logged only at ResponseComplete ends
        // long after (`stageTimestamp`). The legacy v1beta1 `timestamp` is the last resort.
        let stageTime = DecodeSupport.timestamp(e["stageTimestamp"])
        event.ts = DecodeSupport.timestamp(e["requestReceivedTimestamp"]) ?? stageTime ?? DecodeSupport.timestamp(e["timestamp"])
        if event.ts == nil { flags.insert(.noTimestamp) }
        event.session = "k8s:" + username
        // The stages of one request share its audit ID, verb, URI and users; requests that share only the ID
        // (one a client chose) stay apart.
        let identity = "\(verb)|\(uri)|\(username)|\(impersonated ?? "")"
        let identityHash = ContentHash.hash(identity)
        event.callID = auditID.isEmpty ? nil : auditID + "/" + String(UInt32(truncatingIfNeeded: identityHash), radix: 16)
        let full = [resource, subresource].compactMap { $0 }.joined(separator: "/")
        event.tool = "k8s \(verb)\(full.isEmpty ? "" : " " + full)"
        // A request made through impersonation runs with the impersonated user's permissions: its namespace
        // is the one cross-namespace checks compare with.
        let serviceAccount = K8sAuditDecoder.serviceAccount(impersonated ?? username)
        event.context = EventContext(agent: "kubernetes", actor: serviceAccount == nil && !username.hasPrefix("system:") ? username : nil,
                                     principal: username)
        if let decisionText {
            event.decision = decisionText == "forbid" ? .deny : Decision.normalize(decisionText)
            event.decisionSource = .policy
        }
        if let code {
            // The API server refused a request it answered 4xx (401, 403; but also 404 NotFound, 409 Conflict, 422 Invalid,
            // 429): a write is one transaction, so nothing changed and nothing was read. A 5xx (a timeout, an internal
            // error) may have changed something: a failure of a request that ran.
            if (400..<500).contains(code) {
                event.outcome = .denied
            } else if code >= 500 {
                event.outcome = .failure
            } else if stage != "RequestReceived" {
                event.outcome = .success
            }
        }
        if event.decision == .deny { event.outcome = .denied }

        var result = Classification()
        let target = namespace.map { "\($0)/" } ?? ""
        if let namespace { result.target(ActionTarget(.namespace, namespace)) }
        if resource != nil { result.target(ActionTarget(.resource, "\(full) \(target)\(name ?? "")".trimmingSpaces)) }
        result.family("k8s \(verb)\(full.isEmpty ? "" : " " + full)")
        if let resource, namespace == nil, (verb == "list" || verb == "watch"), K8sAuditDecoder.namespacedResources.contains(resource) {
            result.target(ActionTarget(.namespace, "*"))
        }
        // The kubelet's `run` takes its command as one `cmd=` parameter.
        let execArgv = K8sAuditDecoder.execCommand(uri)
            ?? (kubelet == nil ? nil : K8sAuditDecoder.queryValues(uri, "cmd").first.map { $0.split(separator: " ").map(String.init) })
        // Helm's own release storage (`list secrets?labelSelector=owner=helm`): every helm command reads it.
        let helmStorage = resource == "secrets" && (verb == "list" || verb == "watch" || verb == "get")
            && K8sAuditDecoder.queryValues(uri, "labelSelector").contains { $0.replacingAll(" ", with: "").contains("owner=helm") }
        classify(verb: verb, resource: resource, subresource: subresource, name: name, execArgv: execArgv, helmStorage: helmStorage,
                 request: e["requestObject"],
                 annotations: annotations, into: &result)
        // Whether the request changes who may do what by itself, or only through impersonation: a person impersonating
        // an account (`kubectl auth can-i --as=…`, `--as` to act with less) widens nothing; an agent acting as another
        // identity does (`permission-change` tells the two apart by who made the request).
        let privilegeByImpersonation = impersonated != nil && !result.classes.contains(.privilege)
        if let impersonated {
            result.add(.privilege, "acts as \(impersonated) through impersonation")
            result.target(ActionTarget(.principal, impersonated, operation: "impersonate"))
        }
        // A server-side dry run (`kubectl apply --dry-run=server`, `?dryRun=All`) changes nothing: as the same `kubectl …
        // --dry-run` in a harness log, it has none of the classes of a change, and of its targets only where it pointed.
        // (Who made it still counts: a legacy token used to log in, a user impersonated.)
        if K8sAuditDecoder.isDryRun(uri), verb != "get", verb != "list", verb != "watch" {
            result.targets.removeAll { target in
                !(target.kind == .namespace || target.kind == .resource || target.kind == .credential && target.operation == "use"
                  || target.kind == .principal && target.operation == "impersonate")
            }
            var kept: ActionClasses = []
            if result.targets.contains(where: { $0.kind == .credential }) { kept.insert(.credential) }
            if impersonated != nil { kept.insert(.privilege) }
            result.remove(result.classes.subtracting(kept), note: "a server-side dry run (\(verb) \(full)): the API server persisted nothing")
        }
        // Production: namespaces named like production (baselines add explicit clusters/namespaces).
        if let namespace, !result.classes.intersection([.deploy, .delete, .schema, .remoteExec, .privilege]).isEmpty,
           let token = state.productionToken(namespace) {
            result.productionEvidence("namespace \(namespace) (\(token))")
        }
        state.apply(result, to: &event)
        if stage == "RequestReceived" {
            // The verdict comes from later stages; keep the classes for the request itself.
        }
        event.attributes = DecodeSupport.attributes([
            ("audit_id", .optional(auditID)), ("stage", .text(stage)), ("verb", .text(verb)),
            ("resource", .optional(resource)), ("subresource", .optional(subresource)), ("namespace", .optional(namespace)),
            ("name", .optional(name)), ("code", .optional(code)), ("decision", .optional(decisionText)),
            ("reason", .clipped(annotations?.member("authorization.k8s.io/reason")?.string, 300)),
            ("principal_namespace", .optional(serviceAccount?.namespace)), ("service_account", .optional(serviceAccount?.name)),
            ("impersonated_user", .optional(impersonated)), ("via", .optional(kubelet == nil ? nil : "nodes/proxy")), ("privilege", .optional(privilegeByImpersonation ? "impersonation" : nil)), ("user_agent", .clipped(DecodeSupport.text(e["userAgent"], &flags), 200)),
            ("source_ip", .optional(e["sourceIPs"]?.elements.first?.string)),
            ("pod", .optional(e["user"]?["extra"]?.member("authentication.kubernetes.io/pod-name")?.elements.first?.string)),
            ("legacy_token", .optional(annotations?.member("authentication.k8s.io/legacy-token")?.string)),
            ("stale_token", .clipped(annotations?.member("authentication.k8s.io/stale-token")?.string, 200)),
            ("exec_command", .clipped(execArgv.map { $0.joined(separator: " ") }, 500)),
            ("token_expiration_s", .optional(e["requestObject"]?["spec"]?["expirationSeconds"]?.int64)),
            ("truncated", .optional(annotations?.member("audit.k8s.io/truncated")?.string == "true" ? true : nil)),
        ])
        event.flags = flags
        // Not the times nor the status while there is an audit ID: another shipper's copy may lack them (the schema's
        // note on the idempotency key). Without one, the times are all that tells two alike requests apart.
        let times = auditID.isEmpty
            ? "|\(DecodeSupport.timestamp(e["requestReceivedTimestamp"]) ?? -1)|\(stageTime ?? DecodeSupport.timestamp(e["requestReceivedTimestamp"]) ?? -1)"
            : ""
        event.contentKey = ContentHash.hash("k8s|\(auditID)|\(stage)|\(identity)" + times)
        return event
    }

    func classify(verb: String, resource: String?, subresource: String?, name: String?, execArgv: [String]?, helmStorage: Bool = false,
                  request: JSONValue?, annotations: JSONValue?, into result: inout Classification) {
        let resourceName = resource ?? ""
        let full = [resource, subresource].compactMap { $0 }.joined(separator: "/")
        if resourceName == "pods", let sub = subresource, ["exec", "attach", "portforward"].contains(sub) {
            result.add(.remoteExec, "\(sub) into pod \(name ?? "?") (\(verb) pods/\(sub))")
            if let argv = execArgv, !argv.isEmpty {
                let inner = ShellAnalyzer.classify(argv: argv, context: ClassificationContext())
                result = ActionClassifier.merge(result, inner)
            }
            return
        }
        if resourceName == "secrets" && ["get", "list", "watch"].contains(verb) && helmStorage {
            result.add(.read, "reads Helm's release records (\(verb) secrets owner=helm), as every helm command does")
            return
        }
        if resourceName == "secrets" && ["get", "list", "watch"].contains(verb) {
            result.add(.sensitiveRead, "reads secrets (\(verb) secrets\(name.map { " \($0)" } ?? ""))")
            result.target(ActionTarget(.secret, name ?? "*"))
            return
        }
        if resourceName == "serviceaccounts" && subresource == "token" && verb == "create" {
            let seconds = request?["spec"]?["expirationSeconds"]?.int64
            result.add(.credential, "mints a service-account token for \(name ?? "?")\(seconds.map { " lasting \($0) s" } ?? "")")
            result.target(ActionTarget(.credential, "serviceaccount \(name ?? "?")", operation: "mint",
                                       lifetimeSeconds: seconds ?? (request == nil ? nil : 3600)))
            return
        }
        if let legacy = annotations?.member("authentication.k8s.io/legacy-token")?.string {
            result.add(.credential, "authenticates with a legacy, non-expiring service-account token (\(legacy))")
            result.target(ActionTarget(.credential, "legacy token \(legacy)", operation: "use", lifetimeSeconds: Int64.max / 2))
        }
        // Created, replaced or server-side applied (`kubectl apply --server-side` logs a `patch` answered 201).
        if resourceName == "secrets" && ["create", "update", "patch"].contains(verb),
           request?["type"]?.isString("kubernetes.io/service-account-token") == true {
            result.add(.credential, "creates a legacy, non-expiring service-account token secret")
            result.target(ActionTarget(.credential, "legacy token secret \(name ?? "")", operation: "mint", lifetimeSeconds: Int64.max / 2))
            return
        }
        if K8sAuditDecoder.rbacResources.contains(resourceName) && ["create", "update", "patch"].contains(verb) {
            let role = request?["roleRef"]?["name"]?.string
            result.add(.privilege, "\(verb) \(resourceName)\(role.map { " to \($0)" } ?? "")")
            // A binding to cluster-admin is privilege escalation (critical), as the same `kubectl create clusterrolebinding`
            // in a harness log is; not a high-risk command besides.
            return
        }
        // Approving a certificate signing request issues a client certificate: a credential for whoever it names (as
        // `kubectl certificate approve` in a harness log is a permission change).
        if resourceName == "certificatesigningrequests", subresource == "approval", ["update", "patch"].contains(verb) {
            result.add(.privilege, "approves certificate signing request \(name ?? "?") (issues a client certificate)")
            return
        }
        if ["bind", "escalate", "impersonate"].contains(verb) {
            result.add(.privilege, "uses the \(verb) verb on \(full)")
            return
        }
        // `kubectl auth can-i` and `kubectl auth whoami`, authenticating webhooks: a review is created to be answered,
        // and nothing is stored.
        if verb == "create", K8sAuditDecoder.reviewResources.contains(resourceName) {
            result.add(.read, "asks the API server a question (create \(full)): nothing is stored")
            return
        }
        switch verb {
        case "delete", "deletecollection":
            result.add(.delete, "\(verb) \(full)")
        case "create", "update", "patch":
            // Not the API's own bookkeeping (a client's Events, leader-election Leases, Endpoints): no workload changes.
            if K8sAuditDecoder.workloadResources.contains(resourceName)
                || resourceName.hasSuffix("s") && !K8sAuditDecoder.bookkeepingResources.contains(resourceName) {
                result.add(.deploy, "\(verb) \(full)")
                if let spec = K8sAuditDecoder.podSpec(request, resource: resourceName), PrivilegedPod.isPrivileged(spec) {
                    result.add(.highRisk, resourceName == "pods" ? "creates a privileged pod" : "\(verb)s \(full) whose pods are privileged")
                } else if verb == "patch", let request, request.isArray, PrivilegedPod.isPrivilegedPatch(request) {
                    result.add(.highRisk, "patches \(full) so that its pods are privileged")
                }
            }
        case "get", "list", "watch":
            result.add(.read, "\(verb) \(full)")
        default:
            break
        }
    }

    /// The object a request's field selector names (`?fieldSelector=metadata.name%3Ddb&watch=true` → `db`), if only one.
    static func selectedName(_ uri: String) -> String? {
        guard let query = uri.firstIndex(of: "?"), uri.range(ofASCII: "fieldSelector=") != nil else { return nil }
        for pair in uri[uri.index(after: query)...].split(separator: "&") where pair.hasPrefix("fieldSelector=") {
            let value = String(pair.dropFirst("fieldSelector=".count)).replacingAll("%3D", with: "=").replacingAll("%3d", with: "=")
                .replacingAll("%2C", with: ",").replacingAll("%2c", with: ",")
            let terms = value.split(separator: ",")
            guard terms.count == 1, terms[0].hasPrefix("metadata.name=") else { return nil }
            let selected = terms[0].dropFirst("metadata.name=".count)
            return selected.isEmpty || selected.contains("%") ? nil : String(selected)
        }
        return nil
    }

    /// The kinds clients write as the API's bookkeeping, not workloads: Events a client records, leader-election
    /// Leases, the Endpoints and EndpointSlices controllers keep.
    static let bookkeepingResources: Set<String> = ["events", "leases", "endpoints", "endpointslices"]

    /// The kinds whose `create` is a question the API server answers and never stores (authentication.k8s.io and
    /// authorization.k8s.io reviews).
    static let reviewResources: Set<String> = ["tokenreviews", "subjectaccessreviews", "selfsubjectaccessreviews",
                                               "localsubjectaccessreviews", "selfsubjectrulesreviews", "selfsubjectreviews"]

    /// The pod spec a request's object holds: a pod's own, a workload's template (Deployment, StatefulSet,
    /// DaemonSet, ReplicaSet, Job, a replication controller's) or a CronJob's job template's.
    static func podSpec(_ request: JSONValue?, resource: String) -> JSONValue? {
        guard let spec = request?["spec"], spec.isObject else { return nil }
        if resource == "pods" { return spec }
        if resource == "cronjobs" { return spec["jobTemplate"]?["spec"]?["template"]?["spec"] }
        return spec["template"]?["spec"]
    }

    /// `system:serviceaccount:<namespace>:<name>` → its parts (read in place: every event asks).
    static func serviceAccount(_ username: String) -> (namespace: String, name: String)? {
        let prefix = "system:serviceaccount:"
        guard username.hasPrefix(prefix) else { return nil }
        let rest = username.utf8.dropFirst(prefix.utf8.count)
        guard let colon = rest.firstIndex(of: UInt8(ascii: ":")) else { return nil }
        let name = rest[rest.index(after: colon)...]
        guard !name.contains(UInt8(ascii: ":")) else { return nil }
        return (String(decoding: rest[..<colon], as: UTF8.self), String(decoding: name, as: UTF8.self))
    }

    /// The object a request's path names: `/api/v1/namespaces/NS/RESOURCE[/NAME[/SUB]]`,
    /// `/apis/GROUP/VERSION/namespaces/NS/RESOURCE[/NAME[/SUB]]`, and cluster-wide `/api/v1/RESOURCE[/NAME[/SUB]]`,
    /// `/apis/GROUP/VERSION/RESOURCE[/NAME[/SUB]]`; nil for other paths (`/healthz`, `/version`).
    static func objectFromPath(_ uri: String) -> (resource: String, subresource: String?, namespace: String?, name: String?)? {
        let path = uri.prefix { $0 != "?" }
        var parts = path.split(separator: "/").map(String.init)
        if parts.first == "api", parts.count >= 2 {
            parts.removeFirst(2)
        } else if parts.first == "apis", parts.count >= 3 {
            parts.removeFirst(3)
        } else {
            return nil
        }
        var namespace: String?
        if parts.first == "namespaces", parts.count >= 3 {
            namespace = parts[1]
            parts.removeFirst(2)
        }
        guard let resource = parts.first, !resource.isEmpty else { return nil }
        return (resource, parts.count > 2 ? parts[2] : nil, namespace, parts.count > 1 ? parts[1] : nil)
    }

    /// The access to a pod a kubelet API path names (`…/proxy/exec/ns/pod/container`, `run`, `attach`, `portForward`),
    /// as the API server's own subresource: `exec` (`run` too), `attach` or `portforward`.
    static func kubeletAccess(_ uri: String) -> (access: String, namespace: String, pod: String)? {
        let path = String(uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
        guard let proxy = path.range(ofASCII: "/proxy/") else { return nil }
        let parts = path[proxy.upperBound...].split(separator: "/")
        guard parts.count >= 3 else { return nil }
        let access: String
        switch parts[0].lowercased() {
        case "exec", "run": access = "exec"
        case "attach": access = "attach"
        case "portforward": access = "portforward"
        default: return nil
        }
        return (access, percentDecode(String(parts[1])), percentDecode(String(parts[2])))
    }

    /// The `command=` query parameters of an exec request URI, URL-decoded, in order.
    static func execCommand(_ uri: String) -> [String]? {
        let argv = queryValues(uri, "command")
        return argv.isEmpty ? nil : argv
    }

    /// Whether a request URI asks for a server-side dry run (`?dryRun=All`): the API server validates the request, runs
    /// admission and answers as if it had been done, but persists nothing.
    static func isDryRun(_ uri: String) -> Bool {
        !queryValues(uri, "dryRun").isEmpty
    }

    /// The non-empty values of query parameter `name` of a request URI, URL-decoded, in order. Read in place: every
    /// event's URI is asked, and most have no query.
    static func queryValues(_ uri: String, _ name: String) -> [String] {
        let bytes = uri.utf8
        guard let question = bytes.firstIndex(of: UInt8(ascii: "?")) else { return [] }
        let key = (name + "=").utf8
        var values: [String] = []
        var start = bytes.index(after: question)
        while start < bytes.endIndex {
            let end = bytes[start...].firstIndex(of: UInt8(ascii: "&")) ?? bytes.endIndex
            let pair = bytes[start..<end]
            // An empty value is dropped, as it always was: an empty first argument would otherwise stand for
            // the command and hide the real one from classification.
            if pair.starts(with: key), pair.count > key.count {
                values.append(percentDecode(String(decoding: pair.dropFirst(key.count), as: UTF8.self)))
            }
            start = end == bytes.endIndex ? end : bytes.index(after: end)
        }
        return values
    }

    static func percentDecode(_ text: String) -> String {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8)[...]
        while let c = iterator.popFirst() {
            if c == UInt8(ascii: "%"), iterator.count >= 2,
               let h = JSONTape.hexValue(iterator[iterator.startIndex]), let l = JSONTape.hexValue(iterator[iterator.startIndex + 1]) {
                bytes.append(h << 4 | l)
                iterator = iterator.dropFirst(2)
            } else if c == UInt8(ascii: "+") {
                bytes.append(0x20)
            } else {
                bytes.append(c)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
