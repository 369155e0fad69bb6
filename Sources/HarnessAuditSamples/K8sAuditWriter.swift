import HarnessAuditKit

/// Writes Kubernetes API server audit events (`audit.k8s.io/v1`), one per line, with the
/// stages a typical policy records.
public struct K8sAuditWriter {
    public private(set) var lines: [String] = []
    public var time: Int64
    var rng: SeededRandom

    public init(rng: inout SeededRandom, start: Int64) {
        time = start
        self.rng = SeededRandom(seed: rng.next())
    }

    public struct Request {
        public var verb: String
        public var user: String
        public var resource: String
        public var namespace: String?
        public var name: String?
        public var subresource: String?
        public var query = ""
        public var code = 200
        public var requestObject: J?
        public var userAgent = "kubectl/v1.30.2 (linux/amd64) kubernetes/3968350"
        public var annotations: [(String, J)] = []

        public init(verb: String, user: String, resource: String, namespace: String? = nil, name: String? = nil,
                    subresource: String? = nil) {
            self.verb = verb
            self.user = user
            self.resource = resource
            self.namespace = namespace
            self.name = name
            self.subresource = subresource
        }
    }

    public mutating func request(_ r: Request, stages: [String] = ["ResponseComplete"]) {
        let auditID = rng.uuid()
        var uri = "/api/v1"
        if let namespace = r.namespace { uri += "/namespaces/\(namespace)" }
        uri += "/\(r.resource)"
        if let name = r.name { uri += "/\(name)" }
        if let sub = r.subresource { uri += "/\(sub)" }
        if !r.query.isEmpty { uri += "?" + r.query }
        var objectRef: [(String, J)] = [("resource", .s(r.resource))]
        if let namespace = r.namespace { objectRef.append(("namespace", .s(namespace))) }
        if let name = r.name { objectRef.append(("name", .s(name))) }
        objectRef.append(("apiVersion", .s("v1")))
        if let sub = r.subresource { objectRef.append(("subresource", .s(sub))) }
        let received = time
        for stage in stages {
            var status: [(String, J)] = [("metadata", .o([]))]
            if r.code >= 400 {
                status += [("status", .s("Failure")), ("reason", .s(r.code == 403 ? "Forbidden" : "Error")),
                           ("message", .s("\(r.resource) is forbidden: User \"\(r.user)\" cannot \(r.verb) resource"))]
            }
            status.append(("code", .int(r.code)))
            var members: [(String, J)] = [
                ("kind", .s("Event")), ("apiVersion", .s("audit.k8s.io/v1")), ("level", .s(r.requestObject == nil ? "Metadata" : "Request")),
                ("auditID", .s(auditID)), ("stage", .s(stage)), ("requestURI", .s(uri)), ("verb", .s(r.verb)),
                ("user", .o([("username", .s(r.user)), ("groups", .a([.s("system:authenticated")]))])),
                ("sourceIPs", .a([.s("10.244.1.17")])), ("userAgent", .s(r.userAgent)), ("objectRef", .o(objectRef)),
            ]
            if stage != "RequestReceived" { members.append(("responseStatus", .o(status))) }
            if let object = r.requestObject { members.append(("requestObject", object)) }
            members += [("requestReceivedTimestamp", .s(Timestamp.format(received) + "")),
                        ("stageTimestamp", .s(Timestamp.format(time)))]
            var annotations = r.annotations
            if stage != "RequestReceived" {
                annotations.append(("authorization.k8s.io/decision", .s(r.code == 403 ? "forbid" : "allow")))
            }
            if !annotations.isEmpty { members.append(("annotations", .o(annotations))) }
            lines.append(J.o(members).text)
            time += Int64(rng.int(5...400))
        }
        time += Int64(rng.int(20...300)) * 1000
    }
}
