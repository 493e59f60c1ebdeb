import Foundation
import SecretStore
import Testing

/// Several processes writing at once must neither fail (no "database is locked") nor lose a row.
@Suite("Concurrent writers")
struct ConcurrentWriterTests {
    static let perWriter = 500

    /// The issue's scenario: two shell loops started together, each running `jobrunner secrets create` 500 times
    /// with values given through files, against one store.
    @Test("two processes create 500 secrets each at the same time: all succeed, 1,000 present")
    func twoWriters() throws {
        let sandbox = try Sandbox()
        let binary = try JobRunnerExecutable.require()
        // The store exists before the writers start; racing to create it is the next test's subject.
        try sandbox.succeed(["workspaces", "list"])
        let salt = randomHex(12)
        // Each loop waits for the start file so both begin at the same moment.
        let script = """
            while [ ! -e "$WORK/go" ]; do sleep 0.01; done
            fails=0
            i=1
            while [ "$i" -le \(Self.perWriter) ]; do
              printf '%s' "value-$PREFIX-$i-$SALT" > "$WORK/$PREFIX.value"
              if ! "$JOBRUNNER" --data-dir "$DATA" secrets create "$PREFIX-$i" --from-file "$WORK/$PREFIX.value" >/dev/null
              then
                echo "create $PREFIX-$i failed" >&2
                fails=$((fails + 1))
              fi
              i=$((i + 1))
            done
            [ "$fails" -eq 0 ]
            """
        let writers = try ["a", "b"].map { prefix in
            try ChildProcess(
                executable: URL(fileURLWithPath: "/bin/sh"), arguments: ["-c", script],
                environment: sandbox.childEnvironment([
                    "WORK": sandbox.root.path, "DATA": sandbox.dataDirectory.path, "JOBRUNNER": binary.path,
                    "PREFIX": prefix, "SALT": salt,
                ]),
                stdin: nil)
        }
        FileManager.default.createFile(atPath: sandbox.root.appendingPathComponent("go").path, contents: Data())
        let results = writers.map { $0.wait() }

        for result in results {
            #expect(result.exitCode == 0, "a writer failed: \(result.errorLinesWithoutLogs.prefix(10))")
            #expect(!result.errorOutput.contains("database is locked"), "\(result.errorLinesWithoutLogs.prefix(10))")
            #expect(result.errorLinesWithoutLogs.isEmpty, "errors: \(result.errorLinesWithoutLogs.prefix(10))")
        }

        let list = try sandbox.succeed(["secrets", "list", "--page-size", "2000", "--output", "json"]).jsonObject()
        let total = (list["pagination"] as? [String: Any])?["total_results"] as? Int
        #expect(total == 2 * Self.perWriter)
        let names = Set((list["data"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String })
        let expected = Set(["a", "b"].flatMap { prefix in (1...Self.perWriter).map { "\(prefix)-\($0)" } })
        let missing = expected.subtracting(names)
        #expect(missing.isEmpty, "\(missing.count) missing, e.g. \(missing.sorted().prefix(10))")

        for name in ["a-1", "b-1", "a-250", "b-251", "a-500", "b-500"] {
            let read = try sandbox.run(["secrets", "access", name])
            #expect(read.exitCode == 0 && read.output == Self.value(of: name, salt: salt), "\(read)")
        }
        // And every value, in-process with the development key both writers used.
        let key = try #require(try DevelopmentKey.loadIfPresent(in: sandbox.dataDirectory.path))
        let store = try sandbox.libraryStore(keyRing: KeyRing(current: key))
        let wrong = expected.sorted().filter { name in
            (try? store.accessSecret(SecretReference(parsing: name)).revealedString()) != Self.value(of: name, salt: salt)
        }
        #expect(wrong.isEmpty, "\(wrong.count) wrong or unreadable values, e.g. \(wrong.prefix(10))")
    }

    /// Processes that start together on a data directory nobody has used yet all race to create the database
    /// (and its schema) and the development key. Every one must succeed, and the key must be made only once.
    /// A race is not certain to show in one round, so several rounds of six processes are run.
    @Test("processes starting together on a fresh data directory all succeed; one development key")
    func firstUseRace() throws {
        let binary = try JobRunnerExecutable.require()
        let rounds = 12
        let processes = 6
        var failures: [String] = []
        for round in 1...rounds {
            let sandbox = try Sandbox()
            let data = sandbox.root.appendingPathComponent("fresh")
            let go = sandbox.root.appendingPathComponent("go")
            let children = try (1...processes).map { index in
                try ChildProcess(
                    executable: URL(fileURLWithPath: "/bin/sh"),
                    arguments: [
                        "-c",
                        #"while [ ! -e "$GO" ]; do sleep 0.005; done; exec "$JOBRUNNER" --data-dir "$DATA" secrets create "$NAME" --from-file -"#,
                    ],
                    environment: sandbox.childEnvironment([
                        "GO": go.path, "JOBRUNNER": binary.path, "DATA": data.path, "NAME": "s\(index)",
                    ]),
                    stdin: Data("value-\(round)-\(index)".utf8))
            }
            FileManager.default.createFile(atPath: go.path, contents: Data())
            let results = children.map { $0.wait() }

            for result in results where result.exitCode != 0 || !result.errorLinesWithoutLogs.isEmpty {
                failures.append("round \(round): exit \(result.exitCode): \(result.errorLinesWithoutLogs.joined(separator: " | "))")
            }
            let keysMade = results.map { $0.errorOutput.components(separatedBy: "Created a development encryption key").count - 1 }
            #expect(keysMade.reduce(0, +) == 1, "round \(round): development key created \(keysMade.reduce(0, +)) times")
            if let key = try DevelopmentKey.loadIfPresent(in: data.path) {
                let store = try SecretStore(
                    databasePath: data.appendingPathComponent("secrets.sqlite").path, keyRing: KeyRing(current: key))
                for index in 1...processes {
                    let value = try? store.accessSecret(SecretReference(parsing: "s\(index)")).revealedString()
                    if value != "value-\(round)-\(index)" { failures.append("round \(round): s\(index) missing or wrong") }
                }
            } else {
                failures.append("round \(round): no development key")
            }
        }
        #expect(failures.isEmpty, "\(failures.count) failures over \(rounds) rounds:\n\(failures.prefix(12).joined(separator: "\n"))")
    }

    private static func value(of name: String, salt: String) -> String {
        "value-\(name.prefix(1))-\(name.dropFirst(2))-\(salt)"
    }
}
