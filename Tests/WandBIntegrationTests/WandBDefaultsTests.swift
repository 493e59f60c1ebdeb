import Testing
import WandBIntegration

@Suite struct WandBDefaultsTests {
    @Test("the default project is the customizer's") func project() {
        #expect(WandBDefaults.project == "nvidia-nemo-customizer")
    }
}
