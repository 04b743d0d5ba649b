import Foundation
import Testing
@testable import Optimizer
import TestSupport
import SweepTestSupport
@testable import OptimizerSweep

@Suite("YAML 1.1 scalars as PyYAML reads them")
struct YAML11ScalarTests {
    struct Fixture: Decodable {
        struct Case: Decodable { var text: String; var type: String; var value: Value? }
        enum Value: Decodable {
            case bool(Bool), text(String)
            init(from decoder: Decoder) throws {
                let c = try decoder.singleValueContainer()
                if let b = try? c.decode(Bool.self) { self = .bool(b) } else { self = .text(try c.decode(String.self)) }
            }
        }
        var pyyaml: String
        var cases: [Case]
    }

    @Test func everyFixtureScalarResolvesLikePyYAML() throws {
        let fixture = try JSONDecoder().decode(Fixture.self, from: SpaceTestSupport.fixture("space_yaml11_scalars.json"))
        #expect(fixture.cases.count > 100)
        for c in fixture.cases {
            let kind = YAML11Node.resolvePlainScalar(c.text)
            let label = "'\(c.text)' (PyYAML \(fixture.pyyaml): \(c.type) \(String(describing: c.value)))"
            switch (c.type, kind, c.value) {
            case ("bool", .bool(let b), .bool(let expected)?):
                #expect(b == expected, "\(label)")
            case ("null", .null, _), ("timestamp", .timestamp, _):
                break
            case ("int", .int(let i), .text(let expected)?):
                #expect(String(i) == expected, "\(label)")
            case ("float", .double(let x), .text(let expected)?):
                switch expected {
                case "nan": #expect(x.isNaN, "\(label)")
                case "inf": #expect(x == .infinity, "\(label)")
                case "-inf": #expect(x == -.infinity, "\(label)")
                default: #expect(x == Double(expected), "\(label)")
                }
            case ("str", .string(let s), .text(let expected)?):
                #expect(s == expected, "\(label)")
            default:
                Issue.record("\(label) resolved to \(kind)")
            }
        }
    }

    func load(_ yaml: String) -> (YAML11Node?, [ConfigurationProblem]) {
        var problems: [ConfigurationProblem] = []
        let node = YAML11Node.load(yaml, problems: &problems)
        return (node, problems)
    }

    @Test func quotedAndTaggedScalars() throws {
        let (node, problems) = load("""
            a: 'yes'
            b: "1.0e-3"
            c: !!str 42
            d: !!float 1e-3
            e: !!int "0x10"
            f: |
              on
            g: yes
            """)
        #expect(problems.isEmpty)
        let entries = try #require(node?.entries)
        func kind(_ key: String) -> YAML11Node.Kind? { entries.first { $0.key == key }?.value.kind }
        guard case .string("yes")? = kind("a"), case .string("1.0e-3")? = kind("b"), case .string("42")? = kind("c"),
              case .double(0.001)? = kind("d"), case .int(16)? = kind("e"), case .string("on\n")? = kind("f"),
              case .bool(true)? = kind("g") else {
            Issue.record("unexpected kinds: \(entries.map { "\($0.key)=\($0.value.kind)" })")
            return
        }
    }

    @Test func malformedYAMLGivesALineNeverACrash() {
        let cases = [
            "type: sweep\ntrial: [\n",
            "a: b\n  c: d\n",
            "a: 'unterminated\n",
            "- a\nb: c\n",
            "a: *nowhere\n",
            "a: 1\na: 2\n",
            "\t- tab\n",
            "a: !!int xyz\n",
            "a: !custom 3\n",
            "{[}",
        ]
        for yaml in cases {
            let (_, problems) = load(yaml)
            #expect(!problems.isEmpty, "\(yaml.debugDescription) gave no problem")
            #expect(problems.allSatisfy { $0.description.contains("line") }, "\(yaml.debugDescription): \(problems)")
        }
    }

    @Test func randomGarbageNeverCrashes() {
        var rng = SplitMix64(seed: 2024)
        let alphabet = Array("ab:- \n\t[]{}'\"!&*#|>%@`,?0.9e~")
        for _ in 0..<300 {
            let length = Int(rng.next() % 60)
            let text = String((0..<length).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] })
            _ = load(text)
            _ = try? SweepDefinition(yaml: text, baseDirectory: URL(fileURLWithPath: "/tmp"))
        }
    }

    @Test func aliasExpansionIsBounded() {
        var yaml = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for i in 1...8 { yaml += "a\(i): &a\(i) [*a\(i - 1), *a\(i - 1), *a\(i - 1), *a\(i - 1), *a\(i - 1), *a\(i - 1), *a\(i - 1), *a\(i - 1), *a\(i - 1), *a\(i - 1)]\n" }
        let (node, problems) = load(yaml)
        #expect(node == nil)
        #expect(problems.contains { $0.message.contains("expands to more than") })
    }

    @Test func mergeKeysApplyLikePyYAML() throws {
        let (node, problems) = load("""
            base: &base {min_value: 0, max_value: 1}
            x:
              <<: *base
              type: uniform
              max_value: 2
            """)
        #expect(problems.isEmpty)
        let x = try #require(node?.entries?.first { $0.key == "x" }?.value.entries)
        #expect(x.map(\.key) == ["type", "max_value", "min_value"])
        guard case .int(2) = x[1].value.kind else { Issue.record("max_value not overridden"); return }
    }
}
