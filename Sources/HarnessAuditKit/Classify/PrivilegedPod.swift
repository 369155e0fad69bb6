/// What makes a pod privileged, wherever its spec is read (a Kubernetes audit log's request object, a manifest an agent
/// feeds `kubectl apply -f -`, a `kubectl patch`): a privileged container, a host namespace (`hostPID`, `hostNetwork`,
/// `hostIPC`), a capability that amounts to root on the node, or the host's root or container engine socket mounted.
enum PrivilegedPod {
    static let hostNamespaces = ["hostPID", "hostNetwork", "hostIPC"]
    static let rootCapabilities: Set<String> = ["SYS_ADMIN", "CAP_SYS_ADMIN", "ALL"]

    /// A host path whose mount gives the pod the node: its root, or a container engine's socket.
    static func isNodeHostPath(_ path: String) -> Bool {
        path == "/" || path.hasSuffix("/docker.sock") || path.hasSuffix("/containerd.sock") || path.hasSuffix("/crio.sock")
    }

    /// Whether a parsed pod spec is privileged.
    static func isPrivileged(_ spec: JSONValue) -> Bool {
        guard spec.isObject else { return false }
        // (The JSON keys are `hostNamespaces`', spelled out: the tape reads static keys.)
        if spec["hostPID"]?.bool == true || spec["hostNetwork"]?.bool == true || spec["hostIPC"]?.bool == true { return true }
        for container in (spec["containers"]?.elements ?? []) + (spec["initContainers"]?.elements ?? [])
            + (spec["ephemeralContainers"]?.elements ?? []) {
            if container["securityContext"]?["privileged"]?.bool == true { return true }
            for capability in container["securityContext"]?["capabilities"]?["add"]?.elements ?? [] {
                if let name = capability.string?.uppercased(), rootCapabilities.contains(name) { return true }
            }
        }
        return (spec["volumes"]?.elements ?? []).contains { $0["hostPath"]?["path"]?.string.map(isNodeHostPath) ?? false }
    }

    /// Whether a JSON patch (RFC 6902: `kubectl patch --type=json`, an array of operations) makes pods privileged: a
    /// value that holds such a setting, or a setting replaced by its path (`{"path": "…/securityContext/privileged",
    /// "value": true}`).
    static func isPrivilegedPatch(_ operations: JSONValue) -> Bool {
        for operation in operations.elements where operation.isObject {
            guard let value = operation["value"] else { continue }
            let key = operation["path"]?.string?.split(separator: "/").last.map(String.init) ?? ""
            if value.bool == true, key == "privileged" || hostNamespaces.contains(key) { return true }
            if let path = value.string, key == "path", isNodeHostPath(path) { return true }
            if !value.isObject && !value.isArray { continue }
            if setting(inManifest: value.rawText) != nil { return true }
        }
        return false
    }

    /// The setting of a YAML or JSON manifest (or patch) given as text that makes its pods privileged, if any. Read line
    /// by line and member by member, whatever the document's shape.
    static func setting(inManifest manifest: String) -> String? {
        for line in manifest.split(whereSeparator: { $0 == "\n" || $0 == "," || $0 == "{" || $0 == "}" }) {
            let compact = line.filter { $0 != " " && $0 != "\t" && $0 != "\"" && $0 != "'" }
            let item = compact.hasPrefix("-") ? compact.dropFirst() : compact[...]
            for key in ["privileged"] + hostNamespaces where item == "\(key):true" { return "\(key): true" }
            if item.hasPrefix("path:"), isNodeHostPath(String(item.dropFirst(5))) { return "hostPath \(item.dropFirst(5))" }
            // `add: ["SYS_ADMIN"]`, `- SYS_ADMIN`
            let capability = (item.hasPrefix("add:") ? item.dropFirst(4) : item).filter { $0 != "[" && $0 != "]" }
            if rootCapabilities.contains(capability), item.hasPrefix("add:") || compact.hasPrefix("-") && capability != "ALL" {
                return "capability \(capability)"
            }
        }
        return nil
    }
}
