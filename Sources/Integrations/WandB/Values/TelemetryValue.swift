/// A JSON value the runner puts into a run's config or its own history rows (step names, durations, exit codes).
///
/// W&B stores config and history as JSON; this enum keeps the runner's values typed until they are encoded, and
/// is written by ``TelemetryOutbox`` with non-finite numbers as the strings `NaN`/`Infinity`/`-Infinity` as
/// wandb itself does.
public enum TelemetryValue: Sendable, Hashable, Codable {
    /// Text.
    case string(String)
    /// A whole number (step counts, exit codes).
    case int(Int)
    /// A real number (losses, durations in seconds).
    case double(Double)
    /// A flag.
    case bool(Bool)
    /// JSON null.
    case null
    /// A list.
    case array([TelemetryValue])
    /// A nested object (W&B shows it as dotted keys).
    case object([String: TelemetryValue])

    /// Decodes any JSON value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .int(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([TelemetryValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: TelemetryValue].self))
        }
    }

    /// Encodes the value as plain JSON.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        case .null: try container.encodeNil()
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}

extension TelemetryValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral
{
    /// `"text"` in code becomes `.string`.
    public init(stringLiteral value: String) { self = .string(value) }
    /// `42` in code becomes `.int`.
    public init(integerLiteral value: Int) { self = .int(value) }
    /// `0.5` in code becomes `.double`.
    public init(floatLiteral value: Double) { self = .double(value) }
    /// `true` in code becomes `.bool`.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}
