import Foundation
import LogfoldTestSupport
import Testing

/// `GET /metrics` and `GET /v1/status` of a running `logfold run`.
@Suite(.serialized, .offThePool) struct MetricsEndpointTests {
    /// The value of the sample named `name` with exactly `labels`.
    static func value(_ samples: [PrometheusText.Sample], _ name: String, _ labels: [String: String] = [:]) -> Double? {
        samples.first { $0.name == name && $0.labels == labels }?.value
    }

    @Test("/metrics parses as Prometheus text; it and the status page's data equal status, the POSTs and the sandbox")
    func metricsEqualStatus() throws {
        let directory = try TemporaryDirectory()
        let data = directory.file("data")
        let sandbox = try SandboxProcess(data: directory.file("sandbox"), ["--no-rate-limits"])
        defer { sandbox.stop() }
        let daemon = try RunDaemonTests.Daemon(
            data: data, ["--klaviyo-url", sandbox.url, "--no-rate-limits"], environment: SendEndToEndTests.key)
        var appended = 0
        var rejected = 0
        for name in ["order-refunded", "cleared-values", "unknown-type"] {
            let sample = try SendEndToEndTests.sample(name)
            let (_, answer) = try daemon.post(sample.split(separator: "\n"))
            appended += (answer["ingested"] as? NSNumber)?.intValue ?? 0
        }
        // A bad line: rejected, by reason.
        let (status, answer) = try daemon.post([#"{"id":1,"at":"yesterday","type":"login"}"#])
        #expect(status == 422)
        rejected += (answer["rejected"] as? NSNumber)?.intValue ?? 0
        #expect(try eventually { try SendEndToEndTests.nothingPending(data) })

        let (metricsStatus, text) = try httpRequest("GET", daemon.url + "/metrics")
        #expect(metricsStatus == 200)
        let (samples, types) = try PrometheusText.parse(text)
        #expect(types["logfold_ingest_entries_total"] == "counter")
        #expect(types["logfold_projector_fold_seconds"] == "histogram")
        #expect(
            Self.value(samples, "logfold_ingest_entries_total", ["source": "http", "outcome": "appended"])
                == Double(appended))
        let rejections = samples.filter { $0.name == "logfold_ingest_rejected_total" }
        #expect(rejections.map(\.value).reduce(0, +) == Double(rejected))
        #expect(rejections.allSatisfy { $0.labels["source"] == "http" && $0.labels["reason"] != nil })

        // The gauges read from the store equal what /v1/status and `logfold status --json` say.
        let (_, statusBody) = try httpRequest("GET", daemon.url + "/v1/status")
        let served = try #require(try JSONSerialization.jsonObject(with: Data(statusBody.utf8)) as? [String: Any])
        let printed = try LogfoldProcess.run(["status", "--data", data, "--json"])
        #expect(
            NSDictionary(dictionary: served).isEqual(
                to: try JSONSerialization.jsonObject(with: Data(printed.stdout.utf8)) as? [String: Any] ?? [:]))
        let outbox = try #require(served["outbox"] as? [String: Int])
        for (status, count) in outbox {
            #expect(
                Self.value(samples, "logfold_outbox_rows", ["destination": "klaviyo", "status": status])
                    == Double(count), "\(status)")
        }
        #expect(Self.value(samples, "logfold_journal_head") == (served["journal_head"] as? NSNumber)?.doubleValue)
        #expect(Self.value(samples, "logfold_projector_checkpoint") == (served["checkpoint"] as? NSNumber)?.doubleValue)
        #expect((Self.value(samples, "logfold_projector_fold_seconds_count") ?? 0) >= 1)
        // A handful of customers: all decoded, none set aside (the default keeps 20,000).
        #expect((Self.value(samples, "logfold_projector_customers", ["form": "decoded"]) ?? 0) >= 1)
        #expect(Self.value(samples, "logfold_projector_customers", ["form": "set_aside"]) == 0)
        #expect((Self.value(samples, "logfold_projector_orders") ?? 0) >= 1)
        // Every request the sandbox answered was counted, by endpoint and status.
        let requests = samples.filter { $0.name == "logfold_destination_requests_total" }
        #expect(requests.allSatisfy { $0.labels["destination"] == "klaviyo" && $0.labels["endpoint"] != nil })
        #expect(requests.map(\.value).reduce(0, +) == Double(try sandbox.stats()["requests"] ?? -1))

        // The status page: one self-contained document over /v1/status and /v1/activity.
        let (pageStatus, page) = try httpRequest("GET", daemon.url + "/")
        #expect(pageStatus == 200)
        #expect(page.contains("<title>logfold</title>") && page.contains("/v1/status") && page.contains("/v1/activity"))
        #expect(!page.contains("src=\"http") && !page.contains("href=\"http"), "the page loads something from outside")
        let (_, activityBody) = try httpRequest("GET", daemon.url + "/v1/activity")
        let activity = try #require(try JSONSerialization.jsonObject(with: Data(activityBody.utf8)) as? [String: Any])
        let entries = try #require(activity["entries"] as? [Int])
        #expect(entries.count == 60)
        #expect(entries.reduce(0, +) == appended, "entries per minute \(entries.suffix(3)) for \(appended) appended")
        let delivered = try #require(activity["klaviyo"] as? [Int]).reduce(0, +)
        #expect(delivered == outbox["delivered"], "\(delivered) deliveries charted, \(outbox) in the outbox")
        #expect(activity["dead_letters"] is [Any])
        #expect(!activityBody.contains("@"), "the page's data holds an email")
        #expect(daemon.stop().status == 0)
    }

    @Test("run's fold memory options reach its projector: with --hot-customers 0 no customer stays decoded")
    func foldMemoryOptions() throws {
        let directory = try TemporaryDirectory()
        let data = directory.file("data")
        let daemon = try RunDaemonTests.Daemon(
            data: data, ["--no-send", "--hot-customers", "0", "--set-aside-customers", "1000", "--hot-orders", "0"])
        let (status, _) = try daemon.post(try SendEndToEndTests.sample("order-refunded").split(separator: "\n"))
        #expect(status == 200)
        var samples: [PrometheusText.Sample] = []
        #expect(
            try eventually {
                samples = try PrometheusText.parse(try httpRequest("GET", daemon.url + "/metrics").1).0
                let head = Self.value(samples, "logfold_journal_head") ?? 0
                return head > 0 && Self.value(samples, "logfold_projector_checkpoint") == head
            })
        // The default keeps 20,000 decoded (the test above sees them); 0 sets every one aside after a batch.
        #expect(Self.value(samples, "logfold_projector_customers", ["form": "decoded"]) == 0)
        #expect((Self.value(samples, "logfold_projector_customers", ["form": "set_aside"]) ?? 0) >= 1)
        #expect(daemon.stop().status == 0)
    }

    @Test("--metrics-port serves /metrics without the HTTP endpoint; beside --http-port it is refused")
    func metricsPort() throws {
        let directory = try TemporaryDirectory()
        let data = directory.file("data")
        let child = try LogfoldProcess([
            "run", "--data", data, "--no-send", "--metrics-port", "0", "--no-week-ticks",
        ])
        let line = try #require(child.readLine(timeout: .seconds(60)))
        let url = try #require(line.range(of: "http://").map { String(line[$0.lowerBound...]) })
        let (status, text) = try httpRequest("GET", url + "/metrics")
        #expect(status == 200)
        let (samples, _) = try PrometheusText.parse(text)
        #expect(Self.value(samples, "logfold_outbox_rows", ["destination": "klaviyo", "status": "pending"]) == 0)
        #expect(try httpRequest("POST", url + "/v1/entries", body: "{}\n").0 == 404)
        child.send(SIGTERM)
        #expect(child.finish().status == 0)

        let both = try LogfoldProcess.run(["run", "--data", data, "--http-port", "0", "--metrics-port", "0"])
        #expect(both.status != 0)
        #expect(both.stderr.contains("GET /metrics is on the HTTP port"), "\(both.stderr)")
    }

    @Test("the text-format reader refuses what Prometheus would")
    func readerIsStrict() {
        for text in [
            "logfold_x 1\n",  // no TYPE
            "# TYPE logfold_x gauge\nlogfold_x{a=\"1\" 1\n",
            "# TYPE logfold_x gauge\nlogfold_x one\n",
            "# TYPE 9x gauge\n",
            "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_count 1\nh_sum 0\n",
        ] {
            #expect(throws: PrometheusText.Invalid.self, "\(text)") { try PrometheusText.parse(text) }
        }
    }
}
