import Foundation
import HuggingFaceIntegration
import Testing

/// The small pure pieces: token redaction, cache folder resolution, path filters, repository ids.
@Suite struct ValueTests {
    @Test("a token never shows its value in descriptions, debug output or dumps")
    func tokenRedaction() {
        let token = HubToken("  hf_very_secret_value\r\n")!
        var dumped = ""
        dump(token, to: &dumped)
        for text in ["\(token)", String(reflecting: token), dumped, "\(Optional(token) as Any)"] {
            #expect(!text.contains("very_secret"), "\(text)")
        }
        #expect(HubToken("") == nil && HubToken(" \n") == nil && HubToken(nil) == nil)
    }

    @Test("the cache root follows huggingface_hub: HF_HUB_CACHE, HF_HOME/hub, then ~/.cache/huggingface/hub")
    func cacheDirectory() {
        #expect(HubCacheDirectory.resolve(environment: ["HF_HUB_CACHE": "/c", "HF_HOME": "/h", "HOME": "/home/u"]) == "/c")
        #expect(HubCacheDirectory.resolve(environment: ["HF_HOME": "/h", "HOME": "/home/u"]) == "/h/hub")
        #expect(HubCacheDirectory.resolve(environment: ["HF_HOME": "~/hf", "HOME": "/home/u"]) == "/home/u/hf/hub")
        #expect(HubCacheDirectory.resolve(environment: ["HOME": "/home/u"]) == "/home/u/.cache/huggingface/hub")
        #expect(HubCacheDirectory.resolve(environment: ["HF_HUB_CACHE": "", "HOME": "/home/u"]) == "/home/u/.cache/huggingface/hub")
    }

    @Test("path filters use fnmatch: * crosses folders, a trailing slash means a folder")
    func pathFilter() {
        let filter = HubPathFilter(allowPatterns: ["*.json", "onnx/"], ignorePatterns: ["*/secret.json"])
        #expect(filter.includes("config.json"))
        #expect(filter.includes("sub/config.json"))
        #expect(!filter.includes("a/secret.json"))
        #expect(filter.includes("onnx/model.onnx"))
        #expect(!filter.includes("model.bin"))
        #expect(HubPathFilter().includes("anything/at/all"))
        #expect(HubPathFilter(allowPatterns: ["model-0000?-of-*.safetensors"]).includes("model-00001-of-00002.safetensors"))
    }

    @Test("repository ids are checked and named like huggingface_hub's cache folders")
    func repositoryIDs() throws {
        #expect(try HubRepository("org/name").cacheFolderName == "models--org--name")
        #expect(try HubRepository("org/set", kind: .dataset).cacheFolderName == "datasets--org--set")
        #expect(throws: HubError.self) { try HubRepository("../etc") }
        #expect(throws: HubError.self) { try HubRepository("a/b/c") }
    }
}
