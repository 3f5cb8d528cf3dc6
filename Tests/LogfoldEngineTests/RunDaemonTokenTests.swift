import Foundation
import LogfoldTestSupport
import Testing

/// `logfold run --http-token-file`: only clients with the token write to the journal.
@Suite(.serialized) struct RunDaemonTokenTests {
    @Test("with a token file, posts without the token or with another get 401 and journal nothing; the token gets 200")
    func tokenGuardsThePost() throws {
        let directory = try TemporaryDirectory()
        let tokenFile = directory.file("token")
        try "s3cret-token\n".write(toFile: tokenFile, atomically: true, encoding: .utf8)
        let daemon = try RunDaemonTests.Daemon(
            data: directory.file("data"), ["--no-send", "--http-token-file", tokenFile])
        let url = daemon.url + "/v1/entries"
        let body = String(try #require(SendEndToEndTests.sample("activities").split(separator: "\n").first)) + "\n"

        for headers in [[:], ["Authorization": "Bearer wrong-token!"], ["Authorization": "Basic czNjcmV0LXRva2Vu"]] {
            let (status, answer) = try httpRequest("POST", url, body: body, headers: headers)
            #expect(status == 401, "\(headers): \(answer)")
            #expect(answer.contains("Authorization: Bearer TOKEN") && answer.contains("nothing was journaled"))
        }
        #expect(try daemon.health()["journal_head"] == 0)  // health stays open, for load balancers

        let (status, answer) = try httpRequest(
            "POST", url, body: body, headers: ["Authorization": "Bearer s3cret-token"])
        #expect(status == 200, "\(answer)")
        #expect(try daemon.health()["journal_head"] == 1)
        #expect(daemon.stop().status == 0)
    }

    @Test("an empty or unreadable token file stops the start with a message that names it")
    func badTokenFile() throws {
        let directory = try TemporaryDirectory()
        let empty = directory.file("empty")
        try "\n".write(toFile: empty, atomically: true, encoding: .utf8)
        for (file, words) in [(empty, "is empty"), (directory.file("missing"), "cannot read the token file")] {
            let result = try LogfoldProcess.run(
                ["run", "--data", directory.file("data"), "--no-send", "--http-port", "0", "--http-token-file", file])
            #expect(result.status != 0)
            #expect(result.stderr.contains(file) && result.stderr.contains(words), "\(result.stderr)")
        }
    }
}
