import Foundation
import LogfoldEngine
import LogfoldTestSupport
import Testing

/// What `logfold run` logs never carries a customer's email, phone or name, nor a secret.
@Suite(.serialized, .offThePool) struct LogPrivacyTests {
    /// Every email, phone and full name in the sample logs, in the forms they could be printed in.
    static func personalValues() throws -> Set<String> {
        var values = Set<String>()
        let samples = GoldenScenarioTests.journal.path + "/samples"
        for name in try FileManager.default.contentsOfDirectory(atPath: samples) where name.hasSuffix(".jsonl") {
            let text = try String(contentsOfFile: samples + "/" + name, encoding: .utf8)
            for line in text.split(separator: "\n") {
                guard let entry = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                    let customer = entry["customer"] as? [String: Any]
                else { continue }
                if let email = customer["email"] as? String, email.contains("@") { values.insert(email.lowercased()) }
                if let phone = customer["phone"] as? String, phone.count >= 7 {
                    values.insert(phone)
                    let digits = phone.filter(\.isNumber)
                    values.insert(digits.count == 10 ? "+1" + digits : "+" + digits)
                }
                if let first = customer["first_name"] as? String, let last = customer["last_name"] as? String {
                    values.insert("\(first) \(last)")
                }
            }
        }
        return values
    }

    @Test("a full run over every sample, with faults, at trace level: no email, phone, name or secret in the log")
    func noPersonalDataLogged() throws {
        let values = try Self.personalValues()
        try #require(values.count > 10)
        let directory = try TemporaryDirectory()
        let data = try ActiveCampaignSendTests.emptyDirectory(in: directory, addingActiveCampaign: true)
        let faults = ["--faults", "500:0.03,reset:0.01", "--faults-seed", "7"]
        let klaviyo = try SandboxProcess(data: directory.file("klaviyo"), ["--no-rate-limits"] + faults)
        defer { klaviyo.stop() }
        let ac = try ActiveCampaignSendTests.Sandbox(data: directory.file("ac"), ["--no-rate-limits"] + faults)
        defer { ac.stop() }
        let environment = ac.environment.merging(SendEndToEndTests.key) { $1 }
        let daemon = try RunDaemonTests.Daemon(
            data: data, ["--klaviyo-url", klaviyo.url, "--no-rate-limits", "--log-level", "trace"],
            environment: environment)
        for name in GoldenScenarioTests.scenarios {
            let sample = try SendEndToEndTests.sample(name)
            _ = try daemon.post(sample.split(separator: "\n"))
        }
        #expect(try eventually { try SendEndToEndTests.nothingPending(data) })
        #expect(try eventually { try ActiveCampaignSendTests.pending(data) == 0 })
        let result = daemon.stop()
        #expect(result.status == 0, "\(result.stderr.suffix(2_000))")

        // The run logged (retries after the injected faults, the calls at trace level) ...
        let log = result.stderr
        #expect(log.contains("retrying"), "no retry was logged: \(log.suffix(1_000))")
        #expect(log.contains("klaviyo call"), "no call was logged at trace level")
        // ... and none of it is a customer's or a secret.
        let lowered = log.lowercased()
        for value in values { #expect(!lowered.contains(value.lowercased()), "the log holds \(value)") }
        for secret in Array(environment.values).filter({ !$0.hasPrefix("http") && $0.count >= 3 }) {
            #expect(!log.contains(secret), "the log holds a secret")
        }
    }

    @Test("the redaction masks emails and phone numbers in error text, and keeps ids and times")
    func redaction() {
        let text =
            #"Invalid email "Jane.Doe+1@example.co.uk" for profile 1141260; phone +1 (828) 555-0142 at 2020-06-01"#
        #expect(
            LogRedaction.redact(text)
                == #"Invalid email "<email>" for profile 1141260; phone <phone> at 2020-06-01"#)
        #expect(LogRedaction.redact("call 8285550142 now") == "call <phone> now")
        #expect(LogRedaction.redact("seq 88235264, order 4411") == "seq 88235264, order 4411")
        // Klaviyo's ids start with many digits; they are what an operator looks up, not phone numbers.
        let job =
            "GET /api/profile-bulk-import-jobs/010000000001D2W50RHBXMMG7T/ failed; profile 01000000000SE2GZAKCAJ24CQP"
        #expect(LogRedaction.redact(job) == job)
        #expect(LogRedaction.redact("ref ab0123456789") == "ref ab0123456789")
        // A phone next to punctuation, or ending a sentence, is still a phone.
        #expect(LogRedaction.redact("phone:8285550142.") == "phone:<phone>.")
        #expect(LogRedaction.redact("(828) 555-0142; +44 20 7946 0958") == "(<phone>; <phone>")
    }
}
