import HuggingFaceIntegration
import Testing

@Suite struct HubRepositoryKindTests {
    @Test("models have no URL prefix; datasets and spaces do") func prefixes() {
        #expect(HubRepositoryKind.model.urlPrefix == "")
        #expect(HubRepositoryKind.dataset.urlPrefix == "datasets/")
        #expect(HubRepositoryKind.space.apiSegment == "spaces")
    }
}
