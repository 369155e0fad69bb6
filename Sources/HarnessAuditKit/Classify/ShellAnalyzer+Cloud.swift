/// Infrastructure as code, cloud CLIs, platforms and secret managers.
extension ShellAnalyzer {
    mutating func cloud(_ command: ResolvedCommand) -> Bool {
        let p = command.program
        let a = command.args
        switch p {
        case "terraform", "tofu", "terragrunt", "terraform.exe":
            terraform(a, program: p == "terraform.exe" ? "terraform" : p)
            // `TF_VAR_env=prod terraform apply`: the variable that names the environment, set on the line.
            for (name, value) in command.assignments where name.hasPrefix("TF_VAR_")
                && ShellAnalyzer.environmentVariableNames.contains(name.dropFirst(7).lowercased()) {
                environmentName(value, kind: .workspace, source: name)
            }
        case "pulumi":
            let verb = a.positionals(valued: ["-s", "--stack", "-C", "--cwd", "-m", "--message", "--target"]).first?.text ?? ""
            family("pulumi", verb)
            if let stack = a.value("-s", "--stack") { environmentName(stack, kind: .workspace, source: "pulumi stack") }
            if verb == "stack", let name = a.positionals().dropFirst(2).first?.text, a.texts.contains("select") {
                environmentName(name, kind: .workspace, source: "pulumi stack select")
            }
            switch verb {
            case "up", "update",
                 "refresh" where a.has("--yes", "-y"), "import": add(.deploy, "deploys infrastructure (pulumi \(verb))")
            case "destroy", "down": add(.delete, "destroys infrastructure (pulumi \(verb))")
            case "preview": result.note("pulumi preview changes nothing")
            default: break
            }
            // `pulumi config get KEY --show-secrets`, `pulumi stack output --show-secrets`: secrets printed in clear.
            if a.has("--show-secrets") { add(.sensitiveRead, "prints secrets in clear (pulumi \(verb) --show-secrets)") }
        case "cdk", "cdktf":
            let positionals = a.positionals(valued: ["-c", "--context", "--profile", "-a", "--app", "--require-approval"]).map(\.text)
            let verb = positionals.first ?? ""
            family(p, verb)
            for stack in positionals.dropFirst() { environmentName(stack, kind: .app, source: "\(p) stack") }
            if let profile = a.value("--profile") { environmentName(profile, kind: .project, source: "AWS profile") }
            // Context values that name the environment (`-c env=prod`, `--context stage=production`).
            for pair in a.values("-c", "--context") {
                let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                if parts.count == 2, ["env", "environment", "stage", "deployenv", "target"].contains(parts[0].lowercased()) {
                    environmentName(parts[1], kind: .workspace, source: "\(p) context \(parts[0])")
                }
            }
            // `cdk bootstrap`: the toolkit stack (a bucket, roles) deployed into the account.
            if verb == "bootstrap" { add(.deploy, "deploys the CDK toolkit stack into the account (\(p) bootstrap)") }
            if verb == "deploy" {
                // `--no-execute` creates the change sets only.
                if a.has("--no-execute") || a.texts.contains("--execute=false") {
                    result.note("\(p) deploy --no-execute changes nothing")
                } else {
                    add(.deploy, "deploys stacks (\(p) deploy)")
                }
            }
            if verb == "destroy" { add(.delete, "destroys stacks (\(p) destroy)") }
        case "serverless", "sls":
            let verb = a.positionals(valued: ["-s", "--stage", "-r", "--region", "--aws-profile", "-c", "--config", "-f", "--function"]).first?.text ?? ""
            family(p, verb)
            if let stage = a.value("-s", "--stage") { environmentName(stage, kind: .workspace, source: "serverless stage") }
            if verb == "deploy" { add(.deploy, "deploys with serverless") }
            if verb == "remove" { add(.delete, "removes a serverless service") }
        case "aws":
            aws(a)
        case "gcloud":
            gcloud(a)
        case "gsutil":
            gsutil(a)
        case "az":
            azure(a)
        case "fly", "flyctl":
            let verb = a.positionals(valued: ["-a", "--app", "-c", "--config", "-i", "--image", "-r", "--region"]).map(\.text)
            family("fly", verb.first)
            if let app = a.value("-a", "--app") { environmentName(app, kind: .app, source: "fly app") }
            switch verb.first ?? "" {
            case "deploy":
                if a.has("--build-only") { result.note("fly deploy --build-only builds an image and deploys nothing") } else { add(.deploy, "deploys with fly deploy") }
            case "ssh", "console":
                add(.remoteExec, "opens a shell on a Fly machine")
                // `fly ssh console -C "bin/rails db:migrate"`: the command runs on the machine.
                if let script = a.value("-C", "--command") { nested(script, origin: "fly ssh console -C", remote: "fly/\(a.value("-a", "--app") ?? "app")") }
            case "secrets": if verb.count > 1 && (verb[1] == "set" || verb[1] == "import") { add(.write, "sets app secrets (fly secrets set)") }
            case "apps": if verb.count > 1 && (verb[1] == "destroy" || verb[1] == "delete") { add(.delete, "destroys a Fly app") }
            case "destroy": add(.delete, "destroys a Fly app")
            default: break
            }
        case "vercel", "vc":
            let verb = a.positionals(valued: ["--token", "-t", "--scope", "-S", "--cwd", "-e", "--env", "-b", "--build-env", "-A", "--local-config"]).first?.text ?? ""
            family("vercel", verb.isEmpty ? "deploy" : verb)
            if let token = a.value("--token", "-t"), !token.isEmpty { result.note("a Vercel token is passed on the command line") }
            switch verb {
            case "", "deploy", "--prod":
                add(.deploy, "deploys with vercel\(a.has("--prod") ? " --prod" : "")")
                if a.has("--prod") || a.value("--target") == "production" {
                    result.productionEvidence("vercel --prod")
                    result.target(ActionTarget(.environment, "production"))
                }
            case "rm", "remove": add(.delete, "removes a Vercel deployment")
            case "promote", "rollback":
                add(.deploy, "changes the production deployment (vercel \(verb))")
                result.productionEvidence("vercel \(verb) changes the production deployment")
                result.target(ActionTarget(.environment, "production"))
            case "alias": add(.deploy, "changes the production deployment (vercel \(verb))")
            case "env":
                if a.texts.contains("pull") { add(.sensitiveRead, "downloads environment secrets (vercel env pull)") }
                if a.texts.contains("add") || a.texts.contains("rm") { add(.write, "changes environment secrets (vercel env)") }
            default: break
            }
        case "doctl":
            // DigitalOcean: an App Platform deployment, a deletion, a cluster's credentials saved (its context selected).
            let words = a.positionals(valued: ["-t", "--access-token", "--context", "-o", "--output", "--format", "--spec"]).map(\.text)
            family("doctl", words.prefix(2).joined(separator: " "))
            if words.count >= 2, ["create-deployment", "update", "create"].contains(words[1]), words[0] == "apps" {
                add(.deploy, "deploys with doctl apps \(words[1])")
                if words.count > 2 { environmentName(words[2], kind: .app, source: "DigitalOcean app") }
            } else if words.contains("delete") || words.contains("rm") {
                add(.delete, "deletes DigitalOcean resources (doctl \(words.prefix(3).joined(separator: " ")))")
                for name in words.drop(while: { $0 != "delete" && $0 != "rm" }).dropFirst() { environmentName(name, kind: .resource, source: "DigitalOcean resource") }
            } else if words.prefix(4) == ["kubernetes", "cluster", "kubeconfig", "save"], words.count > 4 {
                environmentName(words[4], kind: .cluster, source: "DOKS cluster")
                kubeContext = "do-" + words[4]
                add(.write, "writes cluster credentials to kubeconfig (doctl kubernetes cluster kubeconfig save)")
            }
        case "netlify", "netlify-cli":
            let verb = a.positionals(valued: ["--dir", "-d", "--site", "--auth", "--alias", "-m", "--message"]).first?.text ?? ""
            family("netlify", verb)
            if verb == "deploy" {
                add(.deploy, "deploys with netlify deploy")
                if a.has("--prod", "--prod-if-unlocked") {
                    result.productionEvidence("netlify deploy --prod")
                    result.target(ActionTarget(.environment, "production"))
                }
            }
        case "heroku":
            let verb = a.positionals(valued: ["-a", "--app", "-r", "--remote"]).first?.text ?? ""
            family("heroku", verb)
            if let app = a.value("-a", "--app") { environmentName(app, kind: .app, source: "heroku app") }
            if verb.hasPrefix("releases:rollback") || verb.hasPrefix("ps:scale") || verb == "deploy" || verb.hasPrefix("container:release") {
                add(.deploy, "changes a Heroku release (heroku \(verb))")
            } else if verb == "config" || verb == "config:get" {
                add(.sensitiveRead, "reads app configuration secrets (heroku \(verb))")
            } else if verb.hasPrefix("config:set") || verb.hasPrefix("config:unset") {
                add(.write, "changes app configuration (heroku \(verb))")
            } else if verb.hasPrefix("apps:destroy") || verb.hasPrefix("pg:reset") {
                add(.delete, "destroys Heroku resources (heroku \(verb))")
            } else if verb == "run" || verb.hasPrefix("ps:exec") || verb.hasPrefix("pg:psql") {
                add(.remoteExec, "runs commands on a Heroku dyno (heroku \(verb))")
                // `heroku run rails db:migrate -a shop-prod`, `heroku run -a app -- bash -c '…'`: the command runs there.
                if verb == "run" {
                    // Heroku's own options may come anywhere before `--` (`heroku run rails db:migrate -a shop-prod`).
                    var argv = a.afterDoubleDash ?? []
                    if a.afterDoubleDash == nil {
                        let valued: Set<String> = ["-a", "--app", "-r", "--remote", "-s", "--size", "-e", "--env", "--type"]
                        var skip = false
                        for word in a.words.drop(while: { $0.text != "run" }).dropFirst() {
                            if skip { skip = false; continue }
                            if valued.contains(word.text) { skip = true; continue }
                            if ["-x", "--exit-code", "--no-tty", "--no-notify"].contains(word.text) || word.text.hasPrefix("--app=") { continue }
                            argv.append(word)
                        }
                    }
                    if !argv.isEmpty {
                        nested(argv: argv, origin: "heroku run", remote: "heroku/\(a.value("-a", "--app") ?? "app")")
                    }
                }
            }
        case "helmfile":
            let verb = a.positionals(valued: ["-e", "--environment", "-f", "--file", "-l", "--selector", "--kube-context", "-n", "--namespace"]).first?.text ?? ""
            family("helmfile", verb)
            if let environment = a.value("-e", "--environment") { environmentName(environment, kind: .workspace, source: "helmfile environment") }
            if let contextName = a.value("--kube-context") { environmentName(contextName, kind: .context, source: "helmfile context") }
            if ["apply", "sync", "deploy"].contains(verb) { add(.deploy, "deploys releases (helmfile \(verb))") }
            if ["destroy", "delete"].contains(verb) { add(.delete, "removes releases (helmfile \(verb))") }
        case "ansible":
            family("ansible", nil)
            let module = a.value("-m", "--module-name") ?? "command"
            if let inventory = a.value("-i", "--inventory") { environmentName(ShellAnalyzer.basename(inventory), kind: .workspace, source: "inventory") }
            let hosts = a.positionals(valued: ["-m", "--module-name", "-a", "--args", "-i", "--inventory", "-u", "--user", "-e", "--extra-vars", "-l", "--limit", "-f", "--forks"]).first?.text ?? "hosts"
            environmentName(hosts, kind: .host, source: "ansible hosts")
            add(.remoteExec, "runs a task on \(hosts) (ansible -m \(module))")
            if ["shell", "command", "raw", "script"].contains(module), let args = a.value("-a", "--args") {
                nested(args, origin: "ansible \(hosts)", remote: hosts)
            }
        case "firebase", "wrangler", "kamal", "eb", "skaffold", "nomad", "waypoint", "railway", "render", "amplify",
             "cap", "mina", "shipit", "dokku", "copilot", "sam", "zappa", "chalice", "appcfg.py", "ansible-playbook", "sst":
            paas(command)
        default:
            return false
        }
        return true
    }

    mutating func paas(_ command: ResolvedCommand) {
        let p = command.program
        let a = command.args
        let positionals = a.positionals(valued: ["-e", "--env", "--project", "-P", "-c", "--config", "-i", "--inventory",
                                                 "-l", "--limit", "--extra-vars", "-d", "--destination", "--profile",
                                                 "-a", "--app", "--stage", "--region"]).map(\.text)
        let verb = positionals.first ?? ""
        family(p, verb)
        for name in [a.value("-e", "--env"), a.value("--environment"), a.value("--project", "-P"), a.value("-a", "--app"),
                     a.value("--stage"), a.value("-l", "--limit"), a.value("--config-env"), a.value("--stack-name"),
                     // kamal's destination (`-d production`), copilot's and sam's environment.
                     a.value("--destination"), p == "kamal" ? a.value("-d") : nil].compactMap({ $0 }) {
            environmentName(name, kind: .workspace, source: "\(p) environment")
        }
        switch p {
        case "ansible-playbook":
            if a.has("--check", "-C", "--syntax-check", "--list-tasks", "--list-hosts") {
                result.note("ansible-playbook check mode changes nothing")
                return
            }
            if let inventory = a.value("-i", "--inventory") { environmentName(ShellAnalyzer.basename(inventory), kind: .workspace, source: "inventory") }
            for playbook in positionals { environmentName(ShellAnalyzer.basename(playbook), kind: .app, source: "playbook") }
            add(.deploy, "changes hosts with ansible-playbook")
        case "cap", "mina":
            // `cap production deploy`
            if let stage = positionals.first { environmentName(stage, kind: .workspace, source: "\(p) stage") }
            if positionals.contains(where: { $0.hasPrefix("deploy") }) { add(.deploy, "deploys with \(p) \(positionals.joined(separator: " "))") }
        case "dokku":
            if verb.hasPrefix("apps:destroy") { add(.delete, "destroys a dokku app") } else if verb.hasPrefix("ps:") || verb.hasPrefix("deploy") { add(.deploy, "deploys with dokku \(verb)") }
        default:
            let deployVerbs: Set<String> = ["deploy", "publish", "run", "up", "release", "apply", "push", "rollback"]
            if p == "nomad", verb == "job", positionals.count > 1, ["run", "revert", "dispatch", "scale"].contains(positionals[1]) {
                add(.deploy, "deploys with nomad job \(positionals[1])")
                return
            }
            let deleteVerbs: Set<String> = ["destroy", "delete", "remove", "down", "teardown"]
            // `sam deploy --no-execute-changeset`: the change set only, to be reviewed.
            if verb == "deploy" && a.has("--no-execute-changeset") || a.isDryRun {
                result.note("\(p) \(verb) \(a.isDryRun ? "--dry-run" : "--no-execute-changeset") changes nothing")
                return
            }
            // (`railway run CMD` runs a local command with the project's variables; `skaffold dev` a local loop.)
            if deployVerbs.contains(verb) && !(p == "skaffold" && verb == "dev") && !(p == "railway" && verb == "run") {
                add(.deploy, "deploys with \(p) \(verb)")
                // `eb deploy app-prod` (the environment), `skaffold run -p prod` (the profile).
                if p == "eb", positionals.count > 1 { environmentName(positionals[1], kind: .app, source: "eb environment") }
                if p == "skaffold", let profile = a.value("-p", "--profile") { environmentName(profile, kind: .workspace, source: "skaffold profile") }
                if let context = a.value("--kube-context") { environmentName(context, kind: .context, source: "\(p) --kube-context") }
            } else if deleteVerbs.contains(verb) {
                add(.delete, "removes deployed resources with \(p) \(verb)")
            }
            // `wrangler d1 execute DB --remote --command "DROP TABLE …"`, `wrangler d1 migrations apply DB --remote`: SQL run
            // on a D1 database (the deployed one with `--remote`; a local copy without).
            if p == "wrangler", verb == "d1", positionals.count > 2 {
                let remote = a.has("--remote")
                let database = positionals[1] == "migrations" ? (positionals.count > 3 ? positionals[3] : "") : positionals[2]
                if remote, !database.isEmpty { environmentName(database, kind: .database, source: "D1 database") }
                if positionals[1] == "execute", let sql = a.value("--command") {
                    SQLClassifier.apply(sql, origin: "wrangler d1 execute", to: &result)
                } else if positionals[1] == "migrations" && positionals[2] == "apply" {
                    add(.schema, "applies D1 migrations (wrangler d1 migrations apply\(remote ? " --remote" : ""))")
                }
            }
            if p == "wrangler", verb == "secret", positionals.count > 1, positionals[1] == "put" {
                add(.write, "sets a worker secret (wrangler secret put)")
            }
        }
    }

    /// Names of variables and inputs that name the environment a command acts on (`-var env=prod`, `make deploy
    /// ENV=prod`, `gh workflow run … -f environment=production`), lowercased.
    static let environmentVariableNames: Set<String> = ["env", "environment", "stage", "tier", "workspace", "deploy_env",
                                                        "target_env", "environment_name", "cluster", "context", "namespace"]

    mutating func terraform(_ a: CommandArguments, program: String) {
        var words = a.words
        var chdir: String?
        while let first = words.first, first.text.hasPrefix("-") {
            if first.text.hasPrefix("-chdir=") { chdir = String(first.text.dropFirst(7)) }
            words.removeFirst()
        }
        // `terragrunt apply --terragrunt-working-dir live/prod` (anywhere on the line).
        if program == "terragrunt", let directory = a.value("--terragrunt-working-dir", "--working-dir") { chdir = directory }
        if program == "terragrunt", let first = words.first?.text, first == "run-all" || first == "run" {
            words.removeFirst()
            if words.first?.text == "--" { words.removeFirst() }
        }
        let verb = words.first?.text ?? ""
        let rest = CommandArguments(Array(words.dropFirst()))
        family(program, verb)
        if let chdir {
            result.target(ActionTarget(.path, path(chdir)))
            if let token = context.policy.production.match(chdir) {
                result.productionEvidence("\(program) -chdir=\(chdir) (\(token))")
                result.target(ActionTarget(.workspace, chdir))
            }
        }
        if let workspace = variables["TF_WORKSPACE"] {
            environmentName(workspace, kind: .workspace, source: "TF_WORKSPACE")
        } else if let selected = context.terraformWorkspace, verb != "workspace",
                  ExactText.same(selected.directory, chdir.map { path($0) } ?? context.cwd) {
            // `terraform workspace select production` earlier in the line or the session, in this directory.
            environmentName(selected.name, kind: .workspace, source: "\(program) workspace selected earlier")
        }
        // `-var env=prod`, `-var 'environment=production'`: a variable that names the environment.
        for assignment in rest.values("-var", "--var") {
            let parts = assignment.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            let name = parts[0].lowercased()
            if ShellAnalyzer.environmentVariableNames.contains(name) {
                environmentName(parts[1], kind: .workspace, source: "\(program) -var \(parts[0])")
            }
        }
        for varFile in rest.values("-var-file", "--var-file") {
            if let token = context.policy.production.match(ShellAnalyzer.basename(varFile)) {
                result.productionEvidence("var file \(varFile) (\(token))")
                result.target(ActionTarget(.workspace, varFile))
            }
        }
        if let cwd = context.cwd, verb == "apply" || verb == "destroy" {
            let last = ShellAnalyzer.basename(cwd)
            if let token = context.policy.production.match(last) {
                result.productionEvidence("working directory \(cwd) (\(token))")
                result.target(ActionTarget(.workspace, last))
            }
        }
        switch verb {
        case "apply":
            if rest.has("-destroy", "--destroy") {
                add(.delete, "destroys infrastructure (\(program) apply -destroy)")
            } else {
                add(.deploy, "applies infrastructure changes (\(program) apply)")
            }
        case "destroy":
            add(.delete, "destroys infrastructure (\(program) destroy)")
        case "import":
            add(.write, "changes infrastructure state (\(program) import)")
        case "output" where rest.has("-json", "-raw", "--json", "--raw")
                            && (rest.positionals().isEmpty || rest.positionals().contains { ShellAnalyzer.looksSecret($0.text) }):
            // Outputs marked sensitive are shown in clear with -json and -raw.
            add(.sensitiveRead, "prints infrastructure outputs, sensitive ones included (\(program) output \(rest.has("-raw", "--raw") ? "-raw" : "-json"))")
        case "state":
            let action = rest.texts.first ?? ""
            if ["rm", "mv", "push", "replace-provider"].contains(action) {
                add(.write, "edits infrastructure state (\(program) state \(action))")
            } else if action == "pull" {
                add(.sensitiveRead, "reads the state, which holds secrets (\(program) state pull)")
            }
        case "workspace":
            let action = rest.texts.first ?? ""
            let names = CommandArguments(Array(rest.words.dropFirst())).positionals().map(\.text)
            if (action == "select" || action == "new"), let name = names.first {
                environmentName(name, kind: .workspace, source: "\(program) workspace")
                let selected = TerraformWorkspace(name: name, directory: chdir.map { path($0) } ?? context.cwd)
                context.terraformWorkspace = selected
                result.selectedTerraformWorkspace = selected
            }
            if action == "delete" { add(.delete, "deletes a workspace (\(program) workspace delete)") }
        case "output":
            if rest.has("-raw", "-json") { result.note("\(program) output may print sensitive outputs") }
        case "show":
            // `terraform show FILE` prints a state or plan file, secrets included: a read of that file.
            if let file = rest.positionals().first?.text { self.file(file, "read", by: "\(program) show") }
        case "plan", "validate", "fmt", "init", "graph", "providers", "version", "console", "get", "test":
            if verb == "plan" { result.note("\(program) plan changes nothing") }
            if verb == "test" { testRunner("\(program) test") }
        default:
            break
        }
    }

    /// The aws CLI's global options that take a value as the next word.
    static let awsValued: Set<String> = ["--profile", "--region", "--output", "--query", "--endpoint-url", "--cli-input-json",
                                         "--ca-bundle", "--color", "--cli-read-timeout", "--cli-connect-timeout"]

    mutating func aws(_ a: CommandArguments) {
        let positionals = a.positionals(valued: ShellAnalyzer.awsValued).map(\.text)
        let service = positionals.first ?? ""
        let operation = positionals.count > 1 ? positionals[1] : ""
        family("aws", service.isEmpty ? nil : "\(service) \(operation)")
        if let profile = a.value("--profile") ?? variables["AWS_PROFILE"] { environmentName(profile, kind: .project, source: "AWS profile") }
        for option in ["--cluster", "--service", "--function-name", "--stack-name", "--environment-name", "--application-name",
                       "--db-instance-identifier", "--bucket", "--name", "--secret-id", "--table-name", "--db-cluster-identifier",
                       "--cache-cluster-id", "--replication-group-id", "--queue-url", "--topic-arn", "--repository-name",
                       "--domain-name", "--log-group-name", "--file-system-id", "--load-balancer-name", "--auto-scaling-group-name",
                       "--state-machine-arn", "--rest-api-id", "--api-id", "--stream-name", "--delivery-stream-name"] {
            if let value = a.value(option) { environmentName(value, kind: option == "--secret-id" ? .secret : .resource, source: "aws \(option)") }
        }
        add(.network, "calls AWS (\(service) \(operation))")
        // `aws s3 rm … --dryrun`, `aws ec2 terminate-instances … --dry-run`: AWS checks the request and changes nothing.
        // (`--no-dry-run` does change.)
        if a.isDryRun {
            result.note("aws \(service) \(operation) \(a.has("--dryrun") ? "--dryrun" : "--dry-run") changes nothing")
            return
        }
        if service == "s3" {
            // The bucket names the environment as much as an app name does (`s3://acme-prod-backups`).
            bucketNames(positionals.dropFirst(2), scheme: "s3://", source: "S3 bucket")
        }
        switch (service, operation) {
        case ("s3", "rm"), ("s3", "rb"):
            add(.delete, "deletes S3 objects or buckets (aws s3 \(operation))")
            for target in positionals.dropFirst(2) { result.target(ActionTarget(.url, target, operation: "delete")) }
        case ("s3", "cp"), ("s3", "mv"), ("s3", "sync"):
            let targets = Array(positionals.dropFirst(2))
            if let destination = targets.last {
                if destination.hasPrefix("s3://") {
                    result.target(ActionTarget(.url, destination, operation: "write"))
                    add(.write, "writes to \(destination)")
                } else {
                    file(destination, "write", by: "aws s3 \(operation)")
                    add(.write, "downloads to \(path(destination))")
                }
            }
            for source in targets.dropLast() where !source.hasPrefix("s3://") { file(source, "upload", by: "aws s3 \(operation)") }
            if operation == "sync" && a.has("--delete") { add(.delete, "deletes files missing from the source (aws s3 sync --delete)") }
        // Audit logging turned off or removed: the account stops recording what anyone does.
        case ("cloudtrail", "stop-logging"), ("cloudtrail", "delete-trail"), ("guardduty", "delete-detector"),
             ("config", "stop-configuration-recorder"), ("config", "delete-configuration-recorder"),
             ("securityhub", "disable-security-hub"), ("logs", "delete-log-group"):
            add(.highRisk, "turns off or removes audit logging (aws \(service) \(operation))")
            if operation.hasPrefix("delete") { add(.delete, "deletes an audit trail or its records (aws \(service) \(operation))") }
        case ("secretsmanager", "get-secret-value"), ("secretsmanager", "batch-get-secret-value"), ("kms", "decrypt"):
            add(.sensitiveRead, "reads a secret (aws \(service) \(operation))")
        case ("configure", "get"), ("configure", "export-credentials"):
            // The stored keys themselves (`aws configure get aws_secret_access_key`), not a region or an output format.
            let key = positionals.dropFirst(2).first?.lowercased() ?? ""
            if operation == "export-credentials" || key.contains("secret") || key.contains("access_key") || key.contains("session_token") {
                add(.sensitiveRead, "prints stored AWS credentials (aws configure \(operation))")
            }
        case ("ssm", "get-parameter"), ("ssm", "get-parameters"), ("ssm", "get-parameters-by-path"):
            if a.has("--with-decryption") { add(.sensitiveRead, "reads decrypted parameters (aws ssm \(operation) --with-decryption)") }
        case ("ssm", "start-session"), ("ssm", "send-command"), ("ecs", "execute-command"), ("ec2-instance-connect", _):
            add(.remoteExec, "runs commands on cloud hosts (aws \(service) \(operation))")
            // The commands it runs there: `--parameters commands='rm -rf /srv/app'`, `commands=["a","b"]`, the JSON form
            // (`{"commands":["…"]}`); `ecs execute-command --command "…"`.
            for script in ShellAnalyzer.ssmCommands(a.value("--parameters")) + [a.value("--command")].compactMap({ $0 }) {
                nested(script, origin: "aws \(service) \(operation)", remote: "aws-\(service)")
            }
        case ("iam", "create-service-specific-credential"), ("iam", "create-login-profile"):
            add(.credential, "creates a long-lived credential (aws iam \(operation))")
            result.target(ActionTarget(.credential, "iam \(operation.dropFirst(7))", operation: "mint", lifetimeSeconds: Int64.max / 2))
        case ("iam", "create-access-key"):
            add(.credential, "creates a long-lived static access key (aws iam create-access-key)")
            result.target(ActionTarget(.credential, "iam access key", operation: "mint", lifetimeSeconds: Int64.max / 2))
        case ("sts", "get-session-token"), ("sts", "assume-role"), ("sts", "get-federation-token"), ("sts", "assume-role-with-web-identity"):
            let seconds = a.value("--duration-seconds").flatMap { Int64($0) } ?? (operation == "get-session-token" || operation == "get-federation-token" ? 43_200 : 3600)
            add(.credential, "mints temporary credentials (aws sts \(operation))")
            result.target(ActionTarget(.credential, "sts \(operation)", operation: "mint", lifetimeSeconds: seconds))
        case ("eks", "update-kubeconfig"):
            // The cluster's credentials written to kubeconfig, and the cluster made the current context (unless an alias
            // names it) for the session's later kubectl commands.
            if let cluster = a.value("--name") {
                environmentName(cluster, kind: .cluster, source: "EKS cluster")
                kubeContext = a.value("--alias") ?? cluster
            }
            add(.write, "writes cluster credentials to kubeconfig (aws eks update-kubeconfig)")
        case ("ecr", "get-login-password"), ("eks", "get-token"), ("codeartifact", "get-authorization-token"):
            add(.credential, "mints a registry or cluster token (aws \(service) \(operation))")
        case ("iam", let op) where op.hasPrefix("attach-") || op.hasPrefix("put-") || op.hasPrefix("create-role")
                || op.hasPrefix("update-assume-role-policy") || op.hasPrefix("add-user-to-group") || op.hasPrefix("create-policy"):
            add(.privilege, "changes IAM permissions (aws iam \(op))")
        case ("ecs", "update-service"), ("ecs", "create-service"), ("ecs", "run-task"), ("lambda", "update-function-code"),
             ("lambda", "update-function-configuration"), ("lambda", "create-function"), ("lambda", "publish-version"),
             ("cloudformation", "deploy"), ("cloudformation", "create-stack"), ("cloudformation", "update-stack"),
             ("cloudformation", "execute-change-set"), ("elasticbeanstalk", "update-environment"), ("apprunner", "start-deployment"),
             ("ec2", "run-instances"), ("autoscaling", "update-auto-scaling-group"), ("deploy", "create-deployment"),
             ("amplify", "start-deployment"), ("eks", "update-nodegroup-config"), ("eks", "update-cluster-version"):
            // `cloudformation deploy --no-execute-changeset` only creates the change set, to be reviewed.
            if operation == "deploy" && a.has("--no-execute-changeset") {
                result.note("aws cloudformation deploy --no-execute-changeset creates a change set and changes nothing")
            } else {
                add(.deploy, "deploys with aws \(service) \(operation)")
            }
        case (_, let op) where op.hasPrefix("delete-") || op.hasPrefix("terminate-") || op.hasPrefix("remove-")
                || op.hasPrefix("deregister-") || op.hasPrefix("purge-"):
            add(.delete, "deletes cloud resources (aws \(service) \(op))")
        case (_, let op) where op.hasPrefix("create-") || op.hasPrefix("put-") || op.hasPrefix("update-")
                || op.hasPrefix("modify-") || op.hasPrefix("set-") || op.hasPrefix("attach-") || op.hasPrefix("start-")
                || op.hasPrefix("stop-") || op.hasPrefix("reboot-"):
            if service == "rds" && op.hasPrefix("modify-") { add(.deploy, "changes a database instance (aws rds \(op))") }
            add(.write, "changes cloud resources (aws \(service) \(op))")
        default:
            break
        }
    }

    /// The shell commands of an SSM `--parameters` value: `commands='rm -rf x'`, `commands=["a","b"]`, `commands=a,b`,
    /// or JSON `{"commands":["a"]}`.
    static func ssmCommands(_ parameters: String?) -> [String] {
        guard let parameters, let range = parameters.range(ofASCII: "commands") else { return [] }
        var rest = parameters[range.upperBound...].drop { $0 == "\"" || $0 == ":" || $0 == "=" || $0 == " " }
        func unquoted(_ text: Substring) -> String {
            var value = text.drop { $0 == " " || $0 == "\"" || $0 == "'" }
            while let last = value.last, last == " " || last == "\"" || last == "'" || last == "}" { value = value.dropLast() }
            return String(value)
        }
        if rest.first == "[" {
            rest = rest.dropFirst().prefix { $0 != "]" }
            return rest.split(separator: ",").map(unquoted).filter { !$0.isEmpty }
        }
        let text = unquoted(rest)
        return text.isEmpty ? [] : [text]
    }

    mutating func gcloud(_ a: CommandArguments) {
        let valued: Set<String> = ["--project", "--region", "--zone", "--format", "--configuration", "--account",
                                   "--image", "--source", "--service-account", "--member", "--role", "--key-file",
                                   "--iam-account", "--cluster", "--platform", "--filter", "--secret", "--data-file",
                                   "--impersonate-service-account", "--verbosity", "--set-env-vars", "--env-vars-file", "--command",
                                   "--ssh-flag", "--ssh-key-file"]
        let positionals = a.positionals(valued: valued).map(\.text)
        let phrase = positionals.prefix(4).joined(separator: " ")
        family("gcloud", positionals.prefix(2).joined(separator: " "))
        if let project = a.value("--project") { environmentName(project, kind: .project, source: "gcloud project") }
        if positionals.first == "storage" {
            // `gcloud storage rm|cp|mv|rsync` works like gsutil.
            bucketNames(positionals.dropFirst(2), scheme: "gs://", source: "GCS bucket")
            if positionals.count > 1, ["rm", "rb"].contains(positionals[1])
                || positionals[1] == "rsync" && a.has("--delete-unmatched-destination-objects") {
                add(.delete, "deletes Cloud Storage objects or buckets (gcloud storage \(positionals[1]))")
            }
        }
        if let account = a.value("--impersonate-service-account") {
            add(.privilege, "impersonates \(account) (gcloud)")
        }
        add(.network, "calls Google Cloud (gcloud \(positionals.prefix(2).joined(separator: " ")))")
        let verbs = Set(positionals.prefix(4))
        if phrase.hasPrefix("secrets versions access") {
            add(.sensitiveRead, "reads a secret (gcloud secrets versions access)")
        } else if phrase.hasPrefix("auth print-access-token") || phrase.hasPrefix("auth print-identity-token")
                    || phrase.hasPrefix("auth application-default print-access-token") {
            add(.credential, "mints and prints an access token (gcloud \(phrase))")
            add(.sensitiveRead, "prints an access token (gcloud \(phrase))")
            // A service account's token may be asked for longer than the hour it lasts by default (`--lifetime=43200`).
            let lifetime = a.value("--lifetime").flatMap(ShellAnalyzer.durationSeconds) ?? 3600
            result.target(ActionTarget(.credential, "gcloud access token", operation: "mint", lifetimeSeconds: lifetime))
        } else if phrase.hasPrefix("iam service-accounts keys create") {
            add(.credential, "creates a long-lived service-account key (gcloud iam service-accounts keys create)")
            result.target(ActionTarget(.credential, "service account key", operation: "mint", lifetimeSeconds: Int64.max / 2))
        } else if verbs.contains("add-iam-policy-binding") || verbs.contains("set-iam-policy") {
            add(.privilege, "changes IAM bindings (gcloud \(phrase))")
        } else if phrase.hasPrefix("compute ssh") || phrase.hasPrefix("cloud-shell ssh") || phrase.hasPrefix("compute scp") {
            add(.remoteExec, "runs commands on a VM (gcloud \(phrase))")
            // `gcloud compute ssh prod-vm --command 'rm -rf /data'` (or after `--`): the VM, and what runs there.
            if phrase.hasPrefix("compute ssh"), positionals.count > 2 {
                let vm = positionals[2].split(separator: "@").last.map(String.init) ?? positionals[2]
                environmentName(vm, kind: .host, source: "gcloud compute ssh")
                let remote = a.value("--command") ?? a.texts.drop { $0 != "--" }.dropFirst().joined(separator: " ")
                if !remote.isEmpty { nested(remote, origin: "gcloud compute ssh \(vm)", remote: vm) }
            }
        } else if verbs.contains("deploy") || phrase.hasPrefix("run services update") || phrase.hasPrefix("app deploy")
                    || phrase.hasPrefix("builds submit") && a.has("--config") {
            add(.deploy, "deploys with gcloud \(phrase)")
            if positionals.count > 2 { environmentName(positionals[2], kind: .app, source: "gcloud service") }
        } else if verbs.contains("delete") {
            add(.delete, "deletes cloud resources (gcloud \(phrase))")
            // `gcloud projects delete acme-prod`: the project is what is deleted; `gcloud sql instances delete prod-db`,
            // `gcloud compute instances delete web-prod-1`: the resources named after the verb.
            if positionals.first == "projects", positionals.count > 2 { environmentName(positionals[2], kind: .project, source: "gcloud project") }
            if let verb = positionals.firstIndex(of: "delete"), positionals.first != "projects" {
                for name in positionals[(verb + 1)...] where !name.contains("=") {
                    environmentName(name, kind: .resource, source: "gcloud \(positionals.prefix(verb).joined(separator: " "))")
                }
            }
        } else if phrase.hasPrefix("container clusters get-credentials") {
            add(.credential, "writes cluster credentials to kubeconfig (gcloud container clusters get-credentials)")
            if positionals.count > 3 {
                environmentName(positionals[3], kind: .cluster, source: "GKE cluster")
                // It also makes that cluster the current context, for the session's later kubectl commands.
                kubeContext = positionals[3]
            }
        } else if verbs.contains("create") || verbs.contains("update") || verbs.contains("set") {
            add(.write, "changes cloud resources (gcloud \(phrase))")
        }
    }

    /// `gsutil [-m] rm|rb|cp|mv|rsync …`.
    mutating func gsutil(_ a: CommandArguments) {
        let positionals = a.positionals(valued: ["-o", "-h", "-p", "-u"]).map(\.text)
        let verb = positionals.first ?? ""
        family("gsutil", verb.isEmpty ? nil : verb)
        add(.network, "calls Google Cloud Storage (gsutil \(verb))")
        bucketNames(positionals.dropFirst(), scheme: "gs://", source: "GCS bucket")
        if ["rm", "rb"].contains(verb) || verb == "rsync" && a.hasShort("d") {
            add(.delete, "deletes Cloud Storage objects or buckets (gsutil \(verb))")
        }
    }

    /// Buckets named by URL (`gs://acme-prod-backups/x`): the name says the environment as an app's does.
    mutating func bucketNames<S: Sequence>(_ words: S, scheme: String, source: String) where S.Element == String {
        for target in words where target.hasPrefix(scheme) {
            let bucket = target.dropFirst(scheme.count).split(separator: "/").first.map(String.init) ?? ""
            environmentName(bucket, kind: .resource, source: source)
        }
    }

    mutating func azure(_ a: CommandArguments) {
        let valued: Set<String> = ["-g", "--resource-group", "-n", "--name", "--subscription", "-o", "--output",
                                   "--query", "--vault-name", "--assignee", "--role", "--scope", "--src-path",
                                   "--src", "--type", "--plan", "--runtime", "--image", "--years", "--end-date", "--id", "--scopes",
                                   "--display-name"]
        let positionals = a.positionals(valued: valued).map(\.text)
        let phrase = positionals.prefix(4).joined(separator: " ")
        family("az", positionals.prefix(2).joined(separator: " "))
        for option in ["--subscription", "-g", "--resource-group", "-n", "--name"] {
            if let value = a.value(option) { environmentName(value, kind: option == "--subscription" ? .project : .resource, source: "az \(option)") }
        }
        add(.network, "calls Azure (az \(positionals.prefix(2).joined(separator: " ")))")
        let verbs = Set(positionals.prefix(4))
        if phrase.hasPrefix("keyvault secret show") || phrase.hasPrefix("keyvault secret download") {
            add(.sensitiveRead, "reads a Key Vault secret (az \(phrase))")
        } else if phrase.hasPrefix("account get-access-token") {
            add(.credential, "mints an access token (az account get-access-token)")
            add(.sensitiveRead, "prints an access token (az account get-access-token)")
        } else if phrase.hasPrefix("ad sp create-for-rbac") || phrase.contains("credential reset") {
            add(.credential, "creates service-principal credentials (az \(phrase))")
            // A client secret that lasts `--years` (one by default), or a certificate: a static cloud key.
            let years = a.value("--years").flatMap { Int64($0) } ?? 1
            result.target(ActionTarget(.credential, "service principal secret", operation: "mint",
                                       lifetimeSeconds: a.has("--end-date") ? Int64.max / 2 : max(years, 1) * 365 * 86_400))
        } else if phrase.hasPrefix("repos pr update") && a.value("--status")?.lowercased() == "completed"
                    || phrase.hasPrefix("repos pr") && a.value("--auto-complete")?.lowercased() == "true" {
            // Completing an Azure Repos pull request merges it (now, or once its policies pass).
            add(.merge, "completes a pull request (az \(phrase))")
            add(.vcs, "completes a pull request (az \(phrase))")
            result.target(ActionTarget(.resource, "pull request" + (a.value("--id").map { " \($0)" } ?? ""), operation: "merge"))
        } else if phrase.hasPrefix("role assignment create") {
            add(.privilege, "assigns a role (az role assignment create)")
        } else if phrase.hasPrefix("ssh") || phrase.hasPrefix("vm run-command") {
            add(.remoteExec, "runs commands on a VM (az \(phrase))")
        } else if verbs.contains("deploy") || verbs.contains("up") || phrase.hasPrefix("webapp deployment")
                    // ARM and Bicep deployments (`az deployment group create`, `az deployment sub create`).
                    || phrase.hasPrefix("deployment ") && (verbs.contains("create") || verbs.contains("update"))
                    || phrase.hasPrefix("stack ") && (verbs.contains("create") || verbs.contains("update"))
                    || phrase.hasPrefix("functionapp deployment") || phrase.hasPrefix("containerapp update")
                    || phrase.hasPrefix("aks upgrade") || phrase.hasPrefix("webapp restart") {
            add(.deploy, "deploys with az \(phrase)")
        } else if verbs.contains("delete") || verbs.contains("purge") {
            add(.delete, "deletes cloud resources (az \(phrase))")
        } else if verbs.contains("create") || verbs.contains("update") || verbs.contains("set") {
            add(.write, "changes cloud resources (az \(phrase))")
        }
    }

    mutating func secrets(_ command: ResolvedCommand) -> Bool {
        let p = command.program
        let a = command.args
        let positionals = a.positionals(valued: ["-field", "-format", "-address", "-namespace", "--vault", "--account",
                                                 "--format", "-mount", "-ttl", "-policy", "--session"]).map(\.text)
        let verb = positionals.first ?? ""
        switch p {
        case "vault":
            family("vault", verb == "kv" && positionals.count > 1 ? "kv \(positionals[1])" : verb)
            if let address = a.value("-address") ?? variables["VAULT_ADDR"], let host = ShellAnalyzer.urlHost(address) {
                environmentName(host, kind: .host, source: "Vault address")
            }
            if verb == "kv" && positionals.count > 1 && (positionals[1] == "get" || positionals[1] == "list" && false)
                || verb == "read" {
                add(.sensitiveRead, "reads a secret (vault \(positionals.prefix(2).joined(separator: " ")))")
                if let key = positionals.last { result.target(ActionTarget(.secret, key)) }
            } else if verb == "token" && positionals.count > 1 && positionals[1] == "create" {
                let ttl = a.value("-ttl", "-period").flatMap(ShellAnalyzer.durationSeconds) ?? 2_764_800
                add(.credential, "mints a Vault token (vault token create)")
                result.target(ActionTarget(.credential, "vault token", operation: "mint", lifetimeSeconds: ttl))
            } else if verb == "kv" && positionals.count > 1 && (positionals[1] == "put" || positionals[1] == "patch") || verb == "write" {
                add(.write, "writes a secret (vault \(positionals.prefix(2).joined(separator: " ")))")
            } else if verb == "kv" && positionals.count > 1 && (positionals[1] == "delete" || positionals[1] == "destroy" || positionals[1] == "metadata" && a.texts.contains("delete")) || verb == "delete" {
                add(.delete, "deletes a secret (vault \(positionals.prefix(2).joined(separator: " ")))")
            }
        case "op":
            family("op", verb)
            if verb == "read" || (verb == "item" && positionals.count > 1 && positionals[1] == "get") || verb == "inject" {
                add(.sensitiveRead, "reads a secret from 1Password (op \(positionals.prefix(2).joined(separator: " ")))")
            }
        case "bw", "lpass", "pass", "gopass", "keeper", "ksm":
            family(p, verb)
            if ["get", "show", "cat", "export", "read"].contains(verb) || verb.hasPrefix("show") {
                add(.sensitiveRead, "reads a secret from a password manager (\(p) \(verb))")
            }
        case "sops":
            family("sops", nil)
            if a.hasShort("d") || a.has("--decrypt") || verb == "decrypt" {
                add(.sensitiveRead, "decrypts a secrets file (sops -d)")
                for file in positionals where !file.hasPrefix("-") { result.target(ActionTarget(.path, path(file), operation: "read")) }
            }
        case "security":
            family("security", verb)
            if verb.hasPrefix("find-") && verb.hasSuffix("-password") && (a.hasShort("w") || a.hasShort("g")) {
                add(.sensitiveRead, "reads a password from the keychain (security \(verb))")
            }
        case "doppler", "infisical", "chamber", "teller":
            family(p, verb)
            if verb == "secrets" || verb == "export" || verb == "read" || verb == "get" {
                add(.sensitiveRead, "reads secrets (\(p) \(verb))")
            }
        case "secret-tool":
            family(p, verb)
            if verb == "lookup" { add(.sensitiveRead, "reads a secret from the keyring (secret-tool lookup)") }
        case "ansible-vault":
            family(p, verb)
            if ["view", "decrypt", "edit"].contains(verb) {
                add(.sensitiveRead, "decrypts a vault file (ansible-vault \(verb))")
                for file in positionals.dropFirst() where !file.hasPrefix("-") { result.target(ActionTarget(.path, path(file), operation: "read")) }
            }
        case "rails" where positionals.first.map({ $0.hasPrefix("credentials:show") || $0.hasPrefix("credentials:edit") }) == true,
             "bin/rails" where positionals.first.map({ $0.hasPrefix("credentials:show") || $0.hasPrefix("credentials:edit") }) == true:
            family(p, verb)
            add(.sensitiveRead, "decrypts the application's credentials (\(p) \(verb))")
        case "dotnet" where verb == "user-secrets" && positionals.dropFirst().first == "list":
            family(p, "user-secrets")
            add(.sensitiveRead, "prints the project's user secrets (dotnet user-secrets list)")
        default:
            return false
        }
        return true
    }
}
