import Foundation
import Testing

@testable import WandBIntegration

@Suite struct WandBValuesTests {
    @Test("a job id becomes a valid W&B run id") func runID() {
        #expect(WandBRunID(jobID: "job-7f3a").value == "job-7f3a")
        #expect(WandBRunID(jobID: "team/a:b;c,d#e?f'g h").value == "team-a-b-c-d-e-f-g-h")
        #expect(WandBRunID(jobID: "").value == "job")
    }

    @Test("the API key never shows in descriptions, dumps or failures") func keyIsRedacted() throws {
        let secret = "local-supersecret-0123456789abcdef0123456789abcdef"
        let key = try #require(WandBAPIKey(secret + "\n"))
        var dumped = ""
        dump(key, to: &dumped)
        for text in ["\(key)", String(describing: key), String(reflecting: key), dumped] {
            #expect(!text.contains("supersecret"))
        }
        let basic = Data("api:\(secret)".utf8).base64EncodedString()
        #expect(key.authorizationHeaderValue == "Basic " + basic)
        #expect(key.redact("echo \(secret) and \(basic)") == "echo [redacted] and [redacted]")
        #expect(!TelemetryPushFailure.keyRefused(status: 401).description.contains("supersecret"))
        #expect(WandBAPIKey("  ") == nil)
        #expect(WandBAPIKey("two words") == nil)
    }

    @Test("history lines carry _step, _runtime and _timestamp before the row's metrics") func historyLine() throws {
        let line = HistoryLine.make(json: #"{"step":3,"train_loss":0.41}"#, step: 3, timestamp: 1_000.5, startedAt: 1_000)
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(parsed["_step"] as? Int == 3)
        #expect(parsed["_runtime"] as? Double == 0.5)
        #expect(parsed["_timestamp"] as? Double == 1_000.5)
        #expect(parsed["train_loss"] as? Double == 0.41)
        #expect(HistoryLine.make(json: "{}", step: 0, timestamp: 5, startedAt: 5) == #"{"_runtime":0.0,"_step":0,"_timestamp":5.0}"#)
    }

    @Test("the config goes out as W&B's JSONString of {key: {value: v}}") func configEncoding() throws {
        let config: [String: TelemetryValue] = ["job_id": "job-1", "epochs": 3, "lr": 0.5, "lora": .object(["rank": 16])]
        let text = try TelemetryJSON.encode(config.mapValues { TelemetryValue.object(["value": $0]) })
        #expect(text == #"{"epochs":{"value":3},"job_id":{"value":"job-1"},"lora":{"value":{"rank":16}},"lr":{"value":0.5}}"#)
    }

    @Test("backoff grows to its maximum with jitter") func backoff() {
        let backoff = RetryBackoff(initial: .milliseconds(100), maximum: .seconds(1))
        for failures in 1...12 {
            let delay = backoff.delay(afterFailures: failures)
            let base = min(Duration.milliseconds(100) * (1 << min(failures - 1, 10)), .seconds(1))
            #expect(delay >= base / 2 && delay <= base)
        }
    }
}
