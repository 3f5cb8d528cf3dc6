import Foundation
import LogfoldTestSupport
import Testing

/// `logfold run --http-token-file`: only clients with the token write to the journal.
@Suite(.serialized, .offThePool) struct RunDaemonTokenTests {
    static let jsonLines = ["Content-Type": "application/x-ndjson"]

    @Test("with a token file, posts without the token or with another get 401 and journal nothing; the token gets 200")
    func tokenGuardsThePost() throws {
        let directory = try TemporaryDirectory()
        let tokenFile = directory.file("token")
        try "s3cret-token\n".write(toFile: tokenFile, atomically: true, encoding: .utf8)
        // A token others could read is refused (FileModesAndLocksTests): the daemon's user's alone.
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: tokenFile)
        let daemon = try RunDaemonTests.Daemon(
            data: directory.file("data"), ["--no-send", "--http-token-file", tokenFile])
        let url = daemon.url + "/v1/entries"
        let body = String(try #require(SendEndToEndTests.sample("activities").split(separator: "\n").first)) + "\n"

        for headers in [[:], ["Authorization": "Bearer wrong-token!"], ["Authorization": "Basic czNjcmV0LXRva2Vu"]] {
            let (status, answer) = try httpRequest(
                "POST", url, body: body, headers: headers.merging(Self.jsonLines) { first, _ in first })
            #expect(status == 401, "\(headers): \(answer)")
            #expect(answer.contains("Authorization: Bearer TOKEN") && answer.contains("nothing was journaled"))
        }
        #expect(try daemon.health()["journal_head"] == 0)  // health stays open, for load balancers

        let (status, answer) = try httpRequest(
            "POST", url, body: body,
            headers: ["Authorization": "Bearer s3cret-token"].merging(Self.jsonLines) { a, _ in a })
        #expect(status == 200, "\(answer)")
        #expect(try daemon.health()["journal_head"] == 1)
        #expect(daemon.stop().status == 0)
    }

    @Test("LOGFOLD_HTTP_TOKEN guards the post too; set but empty, it stops the start instead of opening the endpoint")
    func tokenFromEnvironment() throws {
        let directory = try TemporaryDirectory()
        let daemon = try RunDaemonTests.Daemon(
            data: directory.file("data"), ["--no-send"], environment: ["LOGFOLD_HTTP_TOKEN": "from-env"])
        let body = String(try #require(SendEndToEndTests.sample("activities").split(separator: "\n").first)) + "\n"
        #expect(try httpRequest("POST", daemon.url + "/v1/entries", body: body, headers: Self.jsonLines).0 == 401)
        let (status, answer) = try httpRequest(
            "POST", daemon.url + "/v1/entries", body: body,
            headers: ["Authorization": "Bearer from-env"].merging(Self.jsonLines) { a, _ in a })
        #expect(status == 200, "\(answer)")
        #expect(daemon.stop().status == 0)

        let empty = try LogfoldProcess.run(
            ["run", "--data", directory.file("other"), "--no-send", "--http-port", "0"],
            environment: ["LOGFOLD_HTTP_TOKEN": " "])
        #expect(empty.status != 0)
        #expect(empty.stderr.contains("LOGFOLD_HTTP_TOKEN is set but empty"), "\(empty.stderr)")
    }

    @Test("a token file without --http-port, or --from-start without a table, is refused as a usage error")
    func orphanFlags() throws {
        let directory = try TemporaryDirectory()
        let token = try LogfoldProcess.run(
            ["run", "--data", directory.file("data"), "--no-send", "--http-token-file", directory.file("token")])
        #expect(token.status != 0 && token.stderr.contains("add --http-port N"), "\(token.stderr)")
        for command in ["run", "ingest"] {
            let extra = command == "ingest" ? [directory.file("log.jsonl")] : []
            let result = try LogfoldProcess.run([command, "--data", directory.file("data"), "--from-start"] + extra)
            #expect(result.status != 0 && result.stderr.contains("add --sqlite-table"), "\(command): \(result.stderr)")
        }
    }

    @Test("an empty or unreadable token file stops the start with a message that names it")
    func badTokenFile() throws {
        let directory = try TemporaryDirectory()
        let empty = directory.file("empty")
        try "\n".write(toFile: empty, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: empty)
        for (file, words) in [(empty, "is empty"), (directory.file("missing"), "cannot read the token file")] {
            let result = try LogfoldProcess.run(
                ["run", "--data", directory.file("data"), "--no-send", "--http-port", "0", "--http-token-file", file])
            #expect(result.status != 0)
            #expect(result.stderr.contains(file) && result.stderr.contains(words), "\(result.stderr)")
        }
    }

    @Test("without a token given, the first start makes one (0600, printed once); posts need it; a restart keeps it")
    func generatedToken() throws {
        let directory = try TemporaryDirectory()
        let data = directory.file("data")
        let body = String(try #require(SendEndToEndTests.sample("activities").split(separator: "\n").first)) + "\n"
        let first = try RunDaemonTests.Daemon(data: data, ["--no-send"], token: "")
        let tokenFile = data + "/http-token"
        let token = try String(contentsOfFile: tokenFile, encoding: .utf8).trimmingCharacters(
            in: .whitespacesAndNewlines)
        #expect(token.count == 64)
        #expect(try FileModesAndLocksTests.mode(tokenFile) == 0o600)
        #expect(try httpRequest("POST", first.url + "/v1/entries", body: body, headers: Self.jsonLines).0 == 401)
        let headers = ["Authorization": "Bearer \(token)"].merging(Self.jsonLines) { a, _ in a }
        #expect(try httpRequest("POST", first.url + "/v1/entries", body: body, headers: headers).0 == 200)
        let stopped = first.stop()
        #expect(stopped.status == 0)
        #expect(stopped.stderr.components(separatedBy: token).count == 3, "shown once, in two lines")

        let second = try RunDaemonTests.Daemon(data: data, ["--no-send"], token: "")
        #expect(try httpRequest("POST", second.url + "/v1/entries", body: body, headers: headers).0 == 200)
        let again = second.stop()
        #expect(!again.stderr.contains(token), "printed only when made")
    }

    @Test(
        "a web page's post (Origin, Sec-Fetch-Site) and a body not declared JSON Lines are refused, nothing journaled")
    func browsersAndContentTypes() throws {
        let directory = try TemporaryDirectory()
        let daemon = try RunDaemonTests.Daemon(data: directory.file("data"), ["--no-send"])
        let url = daemon.url + "/v1/entries"
        let body = String(try #require(SendEndToEndTests.sample("activities").split(separator: "\n").first)) + "\n"
        for (headers, status) in [
            (["Origin": "https://evil.example", "Content-Type": "application/x-ndjson"], 403),
            (["Sec-Fetch-Site": "cross-site", "Content-Type": "application/x-ndjson"], 403),
            (["Content-Type": "text/plain"], 415),
            (["Content-Type": "application/x-www-form-urlencoded"], 415),
        ] {
            let (answered, answer) = try httpRequest("POST", url, body: body, headers: headers)
            #expect(answered == status, "\(headers): \(answer)")
            #expect(answer.contains("nothing was journaled"))
        }
        #expect(try daemon.health()["journal_head"] == 0)
        let (ok, _) = try httpRequest(
            "POST", url, body: body, headers: ["Content-Type": "application/x-ndjson; charset=utf-8"])
        #expect(ok == 200)
        #expect(daemon.stop().status == 0)
    }
}
