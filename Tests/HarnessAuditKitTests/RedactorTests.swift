import Foundation
import Testing
@testable import HarnessAuditKit

@Suite("Redaction of secrets in every output")
struct RedactorTests {
    /// (text, the secret that must disappear).
    static let secrets: [(String, String)] = [
        ("export GITHUB_TOKEN=ghp_abcdefghijklmnopqrstuvwxyz0123456789", "abcdefghijklmnopqrstuvwxyz0123456789"),
        ("curl -H \"Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U\" https://api.example.com",
         "dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"),
        ("psql postgres://app:s3cr3tP4ss@db.internal:5432/orders", "s3cr3tP4ss"),
        ("mysql -u root -pHunter2Secret orders", "Hunter2Secret"),
        ("aws configure set aws_secret_access_key wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "wJalrXUtnFEMI"),
        ("echo wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLE1KEY > creds", "bPxRfiCYzEXAMPLE1KEY"),
        ("cat <<EOF > id\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n-----END OPENSSH PRIVATE KEY-----\nEOF", "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ"),
        ("SLACK=xoxb-1234567890-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx", "AbCdEfGhIjKlMnOpQrStUvWx"),
        ("OPENAI_KEY sk-proj-abcdefghijklmnopqrstuvwxyz1234567890ABCD", "abcdefghijklmnopqrstuvwxyz1234567890ABCD"),
        ("claude --api sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789", "api03-abcdefghijklmnopqrstuvwxyz0123456789"),
        ("aws_access_key_id AKIAIOSFODNN7EXAMPLE", "IOSFODNN7EXAMPLE"),
        ("docker login -u bob -p Pa55word2026 registry.example.com", "Pa55word2026"),
        ("git clone https://oauth2:glpat-abcdefghij1234567890@gitlab.com/x/y.git", "abcdefghij1234567890"),
        (#"curl -d '{"password": "hunter22", "user": "bob"}' https://x"#, "hunter22"),
        ("DB_PASSWORD=hunter22 npm start", "hunter22"),
        ("./deploy --client-secret=abc123def456ghi", "abc123def456ghi"),
        ("curl -X POST https://hooks.slack.com/services/T0A1B2C3D/B0A1B2C3D/aBcDeFgHiJkLmNoPqRsTuVwX", "aBcDeFgHiJkLmNoPqRsTuVwX"),
        ("GOOGLE_MAPS=AIzaSyA1234567890abcdefghijklmnopqrstuv", "SyA1234567890abcdefghijklmnopqrstuv"),
        ("npm config set //registry.npmjs.org/:_authToken npm_abcdefghijklmnopqrstuvwxyz0123456789", "abcdefghijklmnopqrstuvwxyz0123456789"),
        ("curl -u admin:S3cretPass https://x.example.com", "S3cretPass"),
        ("sshpass -p 'hunter2' ssh deploy@host", "hunter2"),
        // Secret stores given the value on their input or as an option.
        ("printf 'R1DockerSecretVal01' | docker secret create db_pw -", "R1DockerSecretVal01"),
        ("echo -n 'R1GcloudSecretVal02' | gcloud secrets versions add db-pass --data-file=-", "R1GcloudSecretVal02"),
        ("echo 'R1WranglerVal03' | wrangler secret put STRIPE_KEY", "R1WranglerVal03"),
        ("vercel env add API_TOKEN production <<< 'R1VercelVal04'", "R1VercelVal04"),
        ("echo 'R1KubeStdinVal05' | kubectl create secret generic db --from-file=password=/dev/stdin -n prod", "R1KubeStdinVal05"),
        ("az keyvault secret set --vault-name kv --name db --value 'R1AzureKvVal06'", "R1AzureKvVal06"),
        ("echo R1VaultVal07 | vault kv put secret/app password=-", "R1VaultVal07"),
        // A credential as the user half of basic authentication.
        ("curl -u eee65f53e9421ce50211670eae679f02: https://api.recurly.com/accounts", "eee65f53e9421ce50211670eae679f02"),
        ("git clone https://ea21818b904ce6087413e3b266f850f1578b5c72:x-oauth-basic@github.com/acme/app.git",
         "ea21818b904ce6087413e3b266f850f1578b5c72"),
        // Passwords of other programs' arguments.
        ("$pw = ConvertTo-SecureString 'R3PsPlainPw01' -AsPlainText -Force", "R3PsPlainPw01"),
        ("net user svc_backup R3NetUserPw02 /add", "R3NetUserPw02"),
        ("rar x -pR3RarPw03 backup.rar", "R3RarPw03"),
        ("lftp -u bot,R3LftpPw04 sftp://files.example.com", "R3LftpPw04"),
        ("rm -rf /tmp/x; gpg --batch --passphrase R4GpgPassphrase01 -d secrets.gpg", "R4GpgPassphrase01"),
        ("SSHPASS=Sshpass09 sshpass -e ssh deploy@prod-db rm -rf /var/lib/app", "Sshpass09"),
        ("export DBPASS='Db9vLm2Rt' ROOTPWD=Rp4xKw7", "Db9vLm2Rt"),
        ("export DBPASS='Db9vLm2Rt' ROOTPWD=Rp4xKw7", "Rp4xKw7"),
        ("curl -b 'session=CookieJwtSecret.abc.def' https://app.example.com/admin", "CookieJwtSecret.abc.def"),
        ("curl --cookie \"lang=en; sid=Sid8Kq2Wm5\" https://x", "Sid8Kq2Wm5"),
        ("curl --cookie=sid=Sid3Pz9Lx https://x", "Sid3Pz9Lx"),
        ("7z a -pZq8Lr5Tx2Vm9 backup.7z secrets/", "Zq8Lr5Tx2Vm9"),
        ("twine upload -u __token__ -p Wn4Kx8Qp2Lz7 dist/*", "Wn4Kx8Qp2Lz7"),
        ("pass insert -e prod/db <<< 'Hq3Vb7Np9Rt2'", "Hq3Vb7Np9Rt2"),
        ("gpg --batch --passphrase Tp5Mx2Wq8Kd3 -d secrets.gpg", "Tp5Mx2Wq8Kd3"),
        ("vault write auth/approle/login role_id=r1 secret_id=VAULTSECRETID0123456789", "VAULTSECRETID0123456789"),
        // Inside a finding's reason the command follows a parenthesis.
        ("no test run after the last change (sshpass -p 'Pl@inTextPass!' ssh root@db 'rm -rf /b'): git push", "Pl@inTextPass!"),
        ("no test run after the last change (mysql -uroot -pHunter2Secret99 app < s.sql): git push", "Hunter2Secret99"),
        ("gh secret set DB_PASSWORD --body 'GhSecretBody123!' && gh pr merge 3", "GhSecretBody123!"),
        ("gh secret set DEPLOY -b Val123xyz", "Val123xyz"),
        (#"gh secret set X --body "Spaced Secret Val888""#, "Secret Val888"),
        ("gh secret set X -bAttachedVal999", "AttachedVal999"),
        ("echo VAL777xyz | gh secret set X", "VAL777xyz"),
        ("aws configure set aws_secret_access_key -DashKey123456", "DashKey123456"),
        ("set -x PASSWORD fishval123", "fishval123"),
        ("useradd -p HashVal123 bob", "HashVal123"),
        ("ssh-keygen -N KeyPass123 -f k", "KeyPass123"),
        ("git clone https://3f4a8fe5ccb19ba61c4c0873d391e987982fbbd3@github.com/acme/app.git", "3f4a8fe5ccb19ba61c4c0873d391e987982fbbd3"),
        ("echo 'machine api.heroku.com login bob@corp.com password 7f1b4c9d-2e8f' >> ~/.netrc", "7f1b4c9d-2e8f"),
        ("aws ssm put-parameter --name /prod/db/password --value Hq2vLm9Rt4Wy7pX3 --type SecureString", "Hq2vLm9Rt4Wy7pX3"),
        (#"aws ssm put-parameter --name p --value="my secret value""#, "secret value"),
        ("echo 'prod-db:5432:*:admin:Pg7vLm9Rt4Wy7pX3' > ~/.pgpass", "Pg7vLm9Rt4Wy7pX3"),
        ("ssh -o ProxyCommand='sshpass -p Px4vLm9Rt4Wy7pX3 ssh jump' root@prod-db uptime", "Px4vLm9Rt4Wy7pX3"),
        ("wget --http-password Wg3vLm9Rt4Wy7pX3 -O /etc/f https://x.io/f", "Wg3vLm9Rt4Wy7pX3"),
        ("smbclient -U admin%Sm2vLm9Rt4Wy7pX3 //fs/share", "Sm2vLm9Rt4Wy7pX3"),
        ("gh secret set DEPLOY --body=Val456abc --repo acme/app", "Val456abc"),
        ("curl -H 'Authorization: Basic YWxhZGRpbjpvcGVuc2VzYW1l' https://x", "YWxhZGRpbjpvcGVuc2VzYW1l"),
        ("curl 'https://api.example.com/v1/items?access_token=abcdef123456&page=2'", "abcdef123456"),
        ("AZURE=DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=abc123+def456/ghi789==;EndpointSuffix=core", "abc123+def456/ghi789=="),
        ("huggingface-cli login --token hf_abcdefghijklmnopqrstuvwxyzABCDEF", "abcdefghijklmnopqrstuvwxyzABCDEF"),
        ("gh auth login --with-token github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz", "11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz"),
        (#"{"api_key":"0123456789abcdef0123456789abcdef"}"#, "0123456789abcdef0123456789abcdef"),
        ("PGPASSWORD='my secret pass' psql -h db", "my secret pass"),
        ("kubectl create secret generic db --from-literal=password=S3cr3tValue", "S3cr3tValue"),
        ("gcloud auth print-access-token # ya29.a0AfH6SMBabcdefghijklmnopqrstuvwxyz0123456789", "a0AfH6SMBabcdefghijklmnopqrstuvwxyz0123456789"),
        ("SENDGRID=SG.abcdefghijklmnopqrstuv.abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"),
        ("use 9fQ2xLr7ZkP4mWv8Tn3Bc6Yh1Jd5Gs0Ae2Ku7Wq as the key", "9fQ2xLr7ZkP4mWv8Tn3Bc6Yh1Jd5Gs0Ae2Ku7Wq"),
        ("export STRIPE_SECRET_KEY=sk_live_51Habcdefghijklmnopqrstu", "51Habcdefghijklmnopqrstu"),
        ("redis-cli -a 'r3d1sPass' --user default AUTH_TOKEN=xyz789abc", "xyz789abc"),
        ("curl --proxy-user bob:Pr0xyPass https://x", "Pr0xyPass"),
        ("VAULT_TOKEN=hvs.CAESIabcdefghijklmnopqrstuvwxyz0123 vault kv get secret/x", "CAESIabcdefghijklmnopqrstuvwxyz0123"),
        ("vault login hvs.CAESIabcdefghijklmnopqrstuvwxyz0123", "CAESIabcdefghijklmnopqrstuvwxyz0123"),
        ("sudo vault login s.AbCdEfGhIjKlMnOpQrStUvWx", "AbCdEfGhIjKlMnOpQrStUvWx"),
        ("VAULT_ADDR=https://vault:8200 vault token lookup s.q7Xb2LmN9pRt4VwYz8Kd3Hs1", "q7Xb2LmN9pRt4VwYz8Kd3Hs1"),
        ("rm -rf /etc/x # s.AbCdEfGhIjKlMnOpQrStUvWx", "AbCdEfGhIjKlMnOpQrStUvWx"),
        ("rm -rf /etc/s.AbCdEfGhIjKlMnOpQrStUvWx.json", "AbCdEfGhIjKlMnOpQrStUvWx"),
        ("mysql --password Hunt3r2x -u root", "Hunt3r2x"),
        ("curl --token Sup3rS3cretTok https://x", "Sup3rS3cretTok"),
        ("deploy --client-secret abc123xyz", "abc123xyz"),
        ("redis-cli -h cache -a S3cretRed1s ping", "S3cretRed1s"),
        ("ldapsearch -x -D cn=admin -w LdapPa55 -b dc=corp", "LdapPa55"),
        ("az login --service-principal -u app -p AzPa55word --tenant t", "AzPa55word"),
        ("htpasswd -b /etc/nginx/.htpasswd bob HtPa55", "HtPa55"),
        // Options between `-b` and the file: the password is still the third word after them.
        ("htpasswd -b -c deploy/.htpasswd admin Htp4ss2026", "Htp4ss2026"),
        // A finding's reason that quotes the command after words of its own.
        ("Ran while approvals were off, the first: echo 'localhost:15432:ledger_prod:ledger_admin:Xk9pLm2QwZ7rTb4v' >> ~/.pgpass",
         "Xk9pLm2QwZ7rTb4v"),
        (#"psql -c "ALTER USER app WITH PASSWORD 'sqlPa55'""#, "sqlPa55"),
        ("mysql -e \"CREATE USER 'x'@'%' IDENTIFIED BY 'idPa55'\"", "idPa55"),
        ("curl 'https://b.s3.amazonaws.com/x?X-Amz-Signature=abcdef0123456789abcdef&X-Amz-Date=1'", "abcdef0123456789abcdef"),
        // GCP service-account key JSON, Azure SAS signatures and client secrets, a bare JWT.
        (#"echo '{"type":"service_account","private_key":"-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n"}' > sa.json"#,
         "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC"),
        ("curl 'https://acct.blob.core.windows.net/c/b.txt?sv=2022-11-02&ss=b&sig=Zx9Qm2KfLr8TnWv4Yh6Pd3Jc1Bs7Ag5Eu0Io%3D'",
         "Zx9Qm2KfLr8TnWv4Yh6Pd3Jc1Bs7Ag5Eu0Io"),
        ("export AZURE_CLIENT_SECRET=Q8x~abcDEF123ghiJKL456mnoPQR", "abcDEF123ghiJKL456mnoPQR"),
        ("kubectl --token eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJrOHMifQ.c2lnbmF0dXJlLXZhbHVlLWhlcmU get pods", "c2lnbmF0dXJlLXZhbHVlLWhlcmU"),
        ("echo eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJrOHMifQ.c2lnbmF0dXJlLXZhbHVlLWhlcmU | base64 -d", "c2lnbmF0dXJlLXZhbHVlLWhlcmU"),
        // Tokens inside file names, after `-`, `_` or `.`.
        ("rm -rf /home/alice/app/tokens/slack-xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx.json", "AbCdEfGhIjKlMnOpQrStUvWx"),
        ("rm -rf /home/alice/app/keys/aws_AKIAIOSFODNN7EXAMPLE.csv", "IOSFODNN7EXAMPLE"),
        ("Write /home/alice/.config/gh/token-ghp_ZZ9yy8XX7ww6VV5uu4TT3ss2RR1qq0PP9oo8.txt", "ZZ9yy8XX7ww6VV5uu4TT3ss2RR1qq0PP9oo8"),
        ("cp backup.sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789 /tmp", "abcdefghijklmnopqrstuvwxyz0123456789"),
        ("xoxb-1234567890-AbCdEfGhIj", "1234567890-AbCdEfGhIj"),
        // Passwords given on standard input to a command that reads one there.
        (#"printf 'SudoPw_2\n' | sudo -S whoami"#, "SudoPw_2"),
        ("sudo true; echo 'DockerStdinPw_1' | docker login -u bot --password-stdin reg.io", "DockerStdinPw_1"),
        ("echo 'bob:ChpwPw_3' | sudo chpasswd", "ChpwPw_3"),
        ("echo -n hunter2x | sudo -kS apt-get update", "hunter2x"),
        ("sudo -S systemctl restart app <<< 'HereStr1ng'", "HereStr1ng"),
        // `passwd` reads the new password on its input, `--stdin` or not; `yes` prints it as `echo` does.
        ("sudo passwd root <<< 'HereStrPassw0rd5'", "HereStrPassw0rd5"),
        (#"printf 'PipedPassw0rd7\nPipedPassw0rd7\n' | sudo passwd root"#, "PipedPassw0rd7"),
        ("yes 'YesPassw0rdD' | sudo passwd root", "YesPassw0rdD"),
        // A password file given as a process substitution that prints it.
        ("ansible-vault decrypt --vault-password-file <(echo VaultPw_9) group_vars/prod.yml", "VaultPw_9"),
        ("tool --password-file=<(printf '%s' 'SubstPw_4') run", "SubstPw_4"),
        ("echo TopSecret9 | gpg --batch --passphrase-fd 0 -d backup.gpg", "TopSecret9"),
        ("mysql -uroot -p'QuotedPw_5' orders", "QuotedPw_5"),
        ("vault login s.AbCdEf1234567890XyZ && vault kv get secret/prod/db", "AbCdEf1234567890XyZ"),
        ("vault login -no-print s.QwErTy1234567890AsD", "QwErTy1234567890AsD"),
        ("bash -lc 'echo Pw0rdInWrapper | sudo -S id'", "Pw0rdInWrapper"),
        ("echo Pw0rdNoSpace|sudo -S id", "Pw0rdNoSpace"),
        ("echo 'Pw0rdQuoted'| sudo -p '' -S id", "Pw0rdQuoted"),
        ("sudo -S id <<<'Pw0rdHereStr'", "Pw0rdHereStr"),
        ("echo 'Sup3r|Secret' | sudo -S id", "Sup3r|Secret"),
        ("echo 'Pa;ss9w' | sudo -S id", "Pa;ss9w"),
        ("echo \"pa&ss9w\" | docker login -u bot --password-stdin r.io", "pa&ss9w"),
    ]

    static let innocent = [
        #"git commit -m "rotate the token refresh logic""#,
        "kubectl get secret db-password -o yaml",
        "docker pull app@sha256:3f9a1c0e5b7d2a4f6e8c0b1d3f5a7c9e2b4d6f8a0c2e4f6a8b0d2f4a6c8e0b2d",
        "git checkout 3f9a1c0e5b7d2a4f6e8c0b1d3f5a7c9e2b4d6f8a",
        "session 7c1f0e2a-5b7d-4f3e-9a61-2d8e4c0b9f13",
        "cat /home/alice/app/src/components/UserProfileSettings.tsx",
        "llm --max_tokens=4096 prompt",
        "psql password=$DB_PASSWORD host=db",
        "docker login --password-stdin registry.example.com",
        "ssh -i ~/.ssh/id_ed25519 deploy@host",
        "curl --key client.key --cert client.crt https://x",
        "echo $AWS_SECRET_ACCESS_KEY",
        "BYPASS=1 COMPASS=north make deploy",
        "curl -b cookies.txt -c cookies.txt https://x",
        "curl -b \"$COOKIE_JAR\" https://x",
        "npm install left-pad",
        "curl https://example.com/path?q=1&page=2",
        "Read /home/alice/app/.env.production",
        "terraform apply -var-file=envs/prod/terraform.tfvars",
        "go test ./internal/pkg/servicediscovery/...",
        "cat /srv/app/docs/task-sk-learn-pipeline-notes.md",
        "rm -f /srv/app/i18n/messages-sk-SK-2024-translation.json /srv/app/docs/task-sk-learn-pipeline-v2-notes.md",
        "rm -f run-npm_install_script_for_project_2024.sh report_hf_model_card_bert_base_uncased_v2_final.md",
        "ls /srv/app/assets/logo_AKIA-brand.svg",
        "kubectl logs deploy/ghp-exporter-7c9f-abc12",
        "python -c 's.encode(); s.strip()' s.substitutionTemplateName s.abcdefghijklmnopqrstuvwx",
        "echo hello | sudo tee /etc/motd",
        "vault login -method=userpass username=bob",
        "vault login $VAULT_TOKEN",
        "echo done | grep -S x && sudo ls -S /var",
        "echo \"$PASSWORD\" | sudo -S whoami",
        "diff <(echo alpha) <(echo beta)",
        "sudo passwd -l bob",
        "curl -u admin: https://localhost/x",
        "net user bob /delete",
        "net user bob * /add",
        "docker secret create db_pw ./pw.txt",
        "git clone https://github.com/acme/app.git",
    ]

    @Test("every kind of secret is masked, keeping recognisable prefixes")
    func masksSecrets() {
        let redactor = Redactor()
        for (text, secret) in Self.secrets {
            let masked = redactor.redact(text)
            #expect(!masked.contains(secret), "not masked: \(masked)")
            #expect(masked.contains(Redactor.mask), "\(text)")
        }
        #expect(redactor.redact("export GITHUB_TOKEN=ghp_abcdefghijklmnopqrstuvwxyz0123456789") == "export GITHUB_TOKEN=[REDACTED]")
        #expect(redactor.redact("x ghp_abcdefghijklmnopqrstuvwxyz0123456789 y") == "x ghp_[REDACTED] y")
        #expect(redactor.redact("psql postgres://app:s3cr3tP4ss@db.internal/orders") == "psql postgres://app:[REDACTED]@db.internal/orders")
        #expect(redactor.redact("mysql -uroot -p'QuotedPw_5' x") == "mysql -uroot -p'[REDACTED]' x")
        #expect(redactor.redact("printf 'SudoPw_2\\n' | sudo -S whoami") == "printf '[REDACTED]' | sudo -S whoami")
        #expect(redactor.redact("rm /k/aws_AKIAIOSFODNN7EXAMPLE.csv") == "rm /k/aws_AKIA[REDACTED].csv")
        #expect(redactor.redact("rm t/token-ghp_ZZ9yy8XX7ww6VV5uu4TT3ss2RR1qq0PP9oo8.txt") == "rm t/token-ghp_[REDACTED].txt")
        // Names of secrets and what sudoers grants are not secrets.
        #expect(redactor.redact("aws secretsmanager get-secret-value --secret-id app/db") == "aws secretsmanager get-secret-value --secret-id app/db")
        #expect(redactor.redact("echo 'agent ALL=(ALL) NOPASSWD: ALL' | sudo tee /etc/sudoers.d/agent")
                == "echo 'agent ALL=(ALL) NOPASSWD: ALL' | sudo tee /etc/sudoers.d/agent")
        // `set NAME=VALUE`: the value goes, the command after it stays.
        #expect(redactor.redact("npm config set //registry.npmjs.org/:_authToken=npm_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8 && npm publish")
                == "npm config set //registry.npmjs.org/:_authToken=[REDACTED] && npm publish")
    }

    @Test("ordinary commands, digests, ids, paths and variable references are left alone")
    func leavesInnocentText() {
        let redactor = Redactor()
        for text in Self.innocent {
            #expect(redactor.redact(text) == text)
        }
    }

    @Test("--no-redact shows text as logged")
    func disabled() {
        #expect(Redactor(enabled: false).redact("DB_PASSWORD=hunter22") == "DB_PASSWORD=hunter22")
    }

    @Test("findings are redacted in every field taken from logs")
    func findingFields() {
        var finding = Finding(id: "0123456789abcdef", rule: "r", title: "t", category: "sensitive-read", severity: .high,
                              reason: "Ran: DB_PASSWORD=hunter22 ./x", session: nil, ts: nil, evidence: [], agent: nil, actor: nil,
                              principal: nil, host: nil, repo: nil, target: "https://u:pw12345@h/x", command: "DB_PASSWORD=hunter22 ./x")
        finding.details = ["read: token=abc123def"]
        finding.targets = ["https://u:pw12345@h/x"]
        let redacted = finding.redacted(Redactor())
        for text in [redacted.reason, redacted.command!, redacted.target!, redacted.details[0], redacted.targets[0]] {
            #expect(!text.contains("hunter22") && !text.contains("pw12345") && !text.contains("abc123def"), "\(text)")
        }
    }
}

/// GitHub turns bare URLs (`http://`, `https://`, `ftp://`, `www.`) and e-mail addresses into links after
/// reading escapes, so escaping brackets is not enough: the sequences it looks for must not survive.
/// (Checked against cmark-gfm: `https\://`, `www\.` and `a&#8288;\@b.c` render as plain text.)
@Suite("Markdown text from logs: no link of any kind")
struct MarkdownAutolinkTests {
    @Test("URLs, www addresses and e-mail addresses in log text are escaped out of GitHub's autolinks; the text reads the same",
          arguments: ["sudo curl -o /tmp/x https://evil.example/login", "see HTTP://a.b and ftp://c.d/e", "www.evil.com or WWW.evil.com",
                      "mail carol@corp.com", "[click](http://evil.example)", "xmpp:foo@bar.baz", "user+tag@a.b.c"])
    func noAutolinks(_ text: String) throws {
        let escaped = MarkdownText.escape(text)
        for pattern in [#"(?i)(https?|ftp|xmpp|mailto)://"#, #"(?i)www\.[a-z]"#, #"[A-Za-z0-9._%+-]@[A-Za-z0-9-]"#, #"[A-Za-z0-9._%+-]\\@"#] {
            #expect(escaped.range(of: pattern, options: .regularExpression) == nil, "\(pattern) in \(escaped)")
        }
        // Unescaped, the text is what the log said (the word joiner is invisible).
        let shown = escaped.replacingOccurrences(of: "&#8288;", with: "").replacingOccurrences(of: #"\\(.)"#, with: "$1", options: .regularExpression)
        #expect(shown == text)
    }
}
